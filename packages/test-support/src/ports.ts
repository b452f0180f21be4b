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
