/** A real node:http server for the connector tests. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectorContext } from '../src/index.js';

export interface LocalServer {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Routes:
 * - `/echo`: 200 JSON `{ method, url, headers, body }` (body as received text).
 * - `/status/{code}`: that status with a JSON body `{ error }`; `?retryAfter=X` sets `Retry-After: X`.
 * - `/text`: 200 `text/plain` `hello`.
 * - `/json-as-text`: 200 `text/plain` `{"a":1}`.
 * - `/bad-json`: 200 `application/json` with an invalid body.
 * - `/slow`: answers after 2 s.
 */
export async function startLocalServer(): Promise<LocalServer> {
  const server = createServer((req, res) => void route(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://localhost');
  const status = /^\/status\/(\d{3})$/.exec(url.pathname);
  if (url.pathname === '/echo') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-echo': 'yes' });
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
  } else if (status) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const retryAfter = url.searchParams.get('retryAfter');
    if (retryAfter !== null) headers['retry-after'] = retryAfter;
    res.writeHead(Number(status[1]), headers);
    res.end(JSON.stringify({ error: `status ${status[1]} as asked` }));
  } else if (url.pathname === '/text') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello');
  } else if (url.pathname === '/json-as-text') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('{"a":1}');
  } else if (url.pathname === '/bad-json') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{not json');
  } else if (url.pathname === '/slow') {
    setTimeout(() => res.end('late'), 2000).unref();
  } else {
    res.writeHead(404).end();
  }
}

/** A port nothing listens on: bound, then released. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A connector context outside Temporal. */
export function testContext(env: Record<string, string | undefined> = {}, signal = new AbortController().signal): ConnectorContext {
  return { runId: 'run-1', nodeId: 'node_1', attempt: 1, signal, env, heartbeat: () => undefined };
}
