/**
 * Free TCP ports on 127.0.0.1, for a server a test starts on a port of its choosing, or for pointing
 * a client at an address where nothing listens.
 */
import { createServer, type Server } from 'node:net';

/**
 * Asks the OS for `count` distinct TCP ports on 127.0.0.1 that are free right now: binds each to
 * port 0, reads the port, and releases it before returning. Nothing reserves them afterwards, so
 * another process may take one before the test binds it; a test that starts a server on it should
 * retry with fresh ports when the bind fails. Until then a client connecting to one gets
 * `ECONNREFUSED`.
 *
 * @param count - how many ports, at least 1; all are held at once while asking, so they differ.
 * @returns the port numbers, `count` of them.
 * @throws RangeError when `count` is not a positive integer; the OS's error when a port cannot be bound.
 */
export async function freePorts(count: number): Promise<number[]> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('unexpected non-TCP server address');
      return address.port;
    });
  } finally {
    await Promise.all(servers.filter((server) => server.listening).map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/**
 * One port from {@link freePorts}: free on 127.0.0.1 when it returns, with the same caveat that
 * another process may bind it first.
 *
 * @returns the port number.
 * @throws the OS's error when no port can be bound.
 */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}

/** Ports {@link stablePort} picks from: registered ports below Linux's default ephemeral range (32768–60999). */
const STABLE_PORT_RANGE = { from: 20_000, to: 32_000 } as const;
/** Random ports {@link stablePort} tries before giving up. */
const STABLE_PORT_ATTEMPTS = 50;

/**
 * A free port that stays free across a server restart: the kernel hands out ephemeral ports (the source
 * ports of outgoing connections, and `listen(0)`) only above this range, so, unlike a {@link freePort}, no
 * connection of another test can take it while its server is down. Picked at random and checked by binding.
 *
 * @returns the port number, between 20000 and 32000.
 * @throws Error when none of {@link STABLE_PORT_ATTEMPTS} random ports can be bound.
 */
export async function stablePort(): Promise<number> {
  for (let attempt = 0; attempt < STABLE_PORT_ATTEMPTS; attempt++) {
    const port = STABLE_PORT_RANGE.from + Math.floor(Math.random() * (STABLE_PORT_RANGE.to - STABLE_PORT_RANGE.from));
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
  throw new Error(`no free port between ${STABLE_PORT_RANGE.from} and ${STABLE_PORT_RANGE.to} after ${STABLE_PORT_ATTEMPTS} tries`);
}
