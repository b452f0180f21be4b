/**
 * An HTTP server that answers `POST /double` with `{ value: body.value * 2 }` after `delayMs`, and
 * measures how many requests it served and the most it had in flight at once (to check concurrency limits).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingServer {
  url: string;
  /** Requests served. */
  readonly served: number;
  /** Most requests in flight at the same time. */
  readonly maxInFlight: number;
  /** Values received, in arrival order. */
  readonly values: unknown[];
  /** Values for which the server answers 500 instead. */
  failFor: Set<unknown>;
  close(): Promise<void>;
}

export async function startCountingServer(delayMs = 0): Promise<CountingServer> {
  let served = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const values: unknown[] = [];
  const failFor = new Set<unknown>();
  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { value?: number };
      values.push(body.value);
      setTimeout(() => {
        inFlight -= 1;
        served += 1;
        const failing = failFor.has(body.value);
        res.writeHead(failing ? 400 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(failing ? { error: 'refused' } : { value: (body.value ?? 0) * 2 }));
      }, delayMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get served() {
      return served;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    values,
    failFor,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
