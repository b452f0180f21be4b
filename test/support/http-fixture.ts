/**
 * A local HTTP server with scripted answers and a log of what it received, standing in for the
 * services a DAG calls. Answers are queued per `METHOD path`; with none queued it answers 200 `{}`.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpFixture {
  url: string;
  requests: RecordedRequest[];
  /** Queues answers for `METHOD /path` (path without the query string), used once each in order. */
  enqueue(route: string, ...responses: ScriptedResponse[]): void;
  /** Answers every request to `METHOD /path` with the same response. */
  always(route: string, response: ScriptedResponse): void;
  count(route: string): number;
  close(): Promise<void>;
}

export async function startHttpFixture(): Promise<HttpFixture> {
  const requests: RecordedRequest[] = [];
  const queues = new Map<string, ScriptedResponse[]>();
  const fixed = new Map<string, ScriptedResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: keep the text.
      }
      const route = `${req.method} ${path}`;
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body });
      const response = queues.get(route)?.shift() ?? fixed.get(route) ?? { status: 200, body: {} };
      const payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? {});
      res.writeHead(response.status ?? 200, {
        'content-type': typeof response.body === 'string' ? 'text/plain' : 'application/json',
        ...response.headers,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue(route, ...responses) {
      queues.set(route, [...(queues.get(route) ?? []), ...responses]);
    },
    always(route, response) {
      fixed.set(route, response);
    },
    count(route) {
      return requests.filter((r) => `${r.method} ${r.path.split('?')[0]}` === route).length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
