/**
 * The HTTP server of the tests: stands in for the services a DAG, a connector or an LLM SDK calls.
 * It logs every request, answers from scripted responses or from handlers, and measures how many
 * requests it had in flight at once. The other HTTP fakes (`startCountingServer`,
 * `startFakeLlmServer`) are this server with handlers installed.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fixture received, logged when its body has been read. */
export interface RecordedRequest {
  /** `GET`, `POST`, … */
  method: string;
  /** The request target as sent: path and query string, e.g. `/status/503?retryAfter=1`. */
  path: string;
  /** Request headers, lower-case names (Node's `IncomingHttpHeaders`). */
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON; the raw text when it is not JSON; `undefined` when empty. */
  body: unknown;
  /** The body as received, decoded as UTF-8 (`''` when empty). */
  text: string;
}

/** How the fixture answers one request. Every field is optional: `{}` is 200 with the JSON body `{}`. */
export interface ScriptedResponse {
  /** HTTP status, default 200. */
  status?: number;
  /** Response headers; they override the default `content-type`. */
  headers?: Record<string, string>;
  /**
   * A string is sent as is with `content-type: text/plain`; anything else is sent as JSON with
   * `content-type: application/json` (default `{}`).
   */
  body?: unknown;
  /** Answer after this many ms (default 0: on the next turn of the event loop). The request counts as in flight meanwhile. */
  delayMs?: number;
}

/**
 * Computes the answer to a request. It may return a promise that settles later (the request stays in
 * flight until then) or never (the client waits until it gives up or the fixture closes). When it
 * throws or rejects, the fixture answers 500 `{ error: { message } }`.
 */
export type RequestHandler = (request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>;

/** Options of {@link startHttpFixture}. */
export interface HttpFixtureOptions {
  /** Answers requests to routes with nothing queued and no `always` answer; default: 200 `{}`. */
  fallback?: RequestHandler;
}

/** A running fixture; see {@link startHttpFixture}. */
export interface HttpFixture {
  /** Origin to send requests to, `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  /** Every request received, in arrival order (live: grows as requests come in). */
  requests: RecordedRequest[];
  /**
   * Queues answers for `route`, `"METHOD /path"` (the path without its query string, e.g.
   * `"POST /hook"`); each is used for one request, in order, before any `always` answer.
   */
  enqueue(route: string, ...responses: ScriptedResponse[]): void;
  /** Answers every request to `route` (`"METHOD /path"`) with `response`, or with what the handler returns. */
  always(route: string, response: ScriptedResponse | RequestHandler): void;
  /** Requests received for `route` (`"METHOD /path"`, any query string) so far. */
  count(route: string): number;
  /** Requests answered so far (a response fully handed to the socket). */
  readonly served: number;
  /** The most requests in flight at the same time so far, counted from arrival until the answer is sent. */
  readonly maxInFlight: number;
  /** Stops listening and drops open connections, including requests still waiting for an answer. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 on a free port. For each request it picks, in this order: the
 * next queued answer of its route ({@link HttpFixture.enqueue}), the route's fixed answer or handler
 * ({@link HttpFixture.always}), then `options.fallback`, and by default 200 `{}`.
 *
 * @returns the running fixture; always `await fixture.close()` (e.g. in `afterAll`).
 * @throws the listen error if the server cannot bind.
 */
export async function startHttpFixture(options: HttpFixtureOptions = {}): Promise<HttpFixture> {
  const requests: RecordedRequest[] = [];
  const queues = new Map<string, ScriptedResponse[]>();
  const fixed = new Map<string, ScriptedResponse | RequestHandler>();
  const fallback: RequestHandler = options.fallback ?? (() => ({}));
  let served = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const answer = async (request: RecordedRequest): Promise<ScriptedResponse> => {
    const route = routeOf(request);
    const queued = queues.get(route)?.shift();
    if (queued) return queued;
    const always = fixed.get(route);
    if (always === undefined) return fallback(request);
    return typeof always === 'function' ? always(request) : always;
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      inFlight -= 1;
    };
    // A request dropped before its answer (client gone, fixture closed) is no longer in flight.
    res.once('close', settle);
    void readRequest(req)
      .then(async (request) => {
        requests.push(request);
        let response: ScriptedResponse;
        try {
          response = await answer(request);
        } catch (error) {
          response = { status: 500, body: { error: { message: `http fixture: handler failed: ${String(error)}` } } };
        }
        // Always through a timer, even of 0 ms: other requests' I/O gets its turn first, so requests that
        // arrive together are in flight together, and `maxInFlight` sees the client's real concurrency.
        await new Promise((resolve) => setTimeout(resolve, response.delayMs ?? 0).unref());
        if (res.destroyed) return;
        send(res, response);
        settle();
        served += 1;
      })
      .catch(() => res.destroy());
  });
  // Clients (undici) keep connections open between requests; a long keep-alive spares a test that
  // sends thousands of requests a new connection for each.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
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
      return requests.filter((request) => routeOf(request) === route).length;
    },
    get served() {
      return served;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** `"METHOD /path"` of a request, without the query string. */
function routeOf(request: RecordedRequest): string {
  return `${request.method} ${request.path.split('?')[0]}`;
}

async function readRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown = text === '' ? undefined : text;
  try {
    if (text !== '') body = JSON.parse(text) as unknown;
  } catch {
    // Not JSON: keep the text.
  }
  return { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, text };
}

function send(res: ServerResponse, response: ScriptedResponse): void {
  const isText = typeof response.body === 'string';
  const payload = isText ? (response.body as string) : JSON.stringify(response.body ?? {});
  res.writeHead(response.status ?? 200, {
    'content-type': isText ? 'text/plain' : 'application/json',
    ...response.headers,
    'content-length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}
