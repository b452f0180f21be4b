/**
 * A doubling service for concurrency tests: an {@link HttpFixture} that answers `POST /double` with
 * `{ value: body.value * 2 }`, after a delay so that requests overlap.
 */
import { startHttpFixture, type HttpFixture } from './http-fixture.js';

/** A running counting server; `served` and `maxInFlight` (of the fixture) count every request. */
export interface CountingServer extends HttpFixture {
  /** The `value` of each request's JSON body, in arrival order (`undefined` when it had none). */
  readonly values: unknown[];
  /** Values for which `POST /double` answers 400 `{ error: 'refused' }` instead; change it at any time. */
  failFor: Set<unknown>;
}

/**
 * Starts an {@link HttpFixture} whose `POST /double` answers `{ value: body.value * 2 }` (a missing
 * value counts as 0) with status 200 after `delayMs`, or 400 `{ error: 'refused' }` for the values in
 * `failFor` (400 so that the HTTP connector does not retry them).
 *
 * @param delayMs - how long each answer takes (ms), default 0; while waiting the request is in flight.
 * @returns the running server; always `await server.close()`.
 * @throws the listen error if the server cannot bind.
 */
export async function startCountingServer(delayMs = 0): Promise<CountingServer> {
  const fixture = await startHttpFixture();
  const failFor = new Set<unknown>();
  fixture.always('POST /double', (request) => {
    const value = valueOf(request.body);
    return failFor.has(value)
      ? { status: 400, body: { error: 'refused' }, delayMs }
      : { body: { value: Number(value ?? 0) * 2 }, delayMs };
  });
  return {
    url: fixture.url,
    requests: fixture.requests,
    enqueue: fixture.enqueue,
    always: fixture.always,
    count: fixture.count,
    get served() {
      return fixture.served;
    },
    get maxInFlight() {
      return fixture.maxInFlight;
    },
    get values() {
      return fixture.requests.map((request) => valueOf(request.body));
    },
    failFor,
    close: fixture.close,
  };
}

function valueOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null ? (body as { value?: unknown }).value : undefined;
}
