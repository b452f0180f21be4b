import { expect } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { buildConnector } from 'undici';
import type { RequestHandler, ScriptedResponse } from '@trellis/test-support';
import { createOutbound, readEgressPolicy, type ConnectorContext, type OutboundSession, type Resolver } from '../src/index.js';

/**
 * Awaits a promise that must reject with an instance of `type`, and returns that error for further
 * assertions (fails the test if it resolves or rejects with something else).
 */
export async function rejectionOf<T>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

/** Keeps the worker's "Activity failed" warnings out of the test output. */
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** An activity context for calling activities directly, with the given attempt number (default 1). */
export function activityEnvironment(info: { attempt?: number } = {}): MockActivityEnvironment {
  return new MockActivityEnvironment(info, { logger: silent });
}

/**
 * An outbound session under the egress policy of `env` (its `TRELLIS_EGRESS_ALLOW` lists the fixtures a test
 * may reach). Sessions are left for the process to close: each holds at most a few idle sockets.
 */
export function testOutbound(env: Record<string, string | undefined> = {}): OutboundSession {
  return createOutbound(readEgressPolicy(env)).open();
}

/** The `TRELLIS_EGRESS_ALLOW` entry of a fixture's origin (`127.0.0.1:<port>`). */
export function allowFixture(url: string): { TRELLIS_EGRESS_ALLOW: string } {
  return { TRELLIS_EGRESS_ALLOW: new URL(url).host };
}

/** A connector context outside Temporal; its outbound session follows the egress policy of `env`. */
export function testContext(env: Record<string, string | undefined> = {}, signal = new AbortController().signal): ConnectorContext {
  return { runId: 'run-1', nodeId: 'node_1', attempt: 1, signal, env, outbound: testOutbound(env), idempotencyKey: 'trellis-run-1-node_1', heartbeat: () => undefined };
}

/**
 * The answers the HTTP connector tests need, as the `fallback` of `startHttpFixture`:
 * - `/echo`: 200 JSON `{ method, url, headers, body }` (body as received text), header `x-echo: yes`.
 * - `/status/{code}`: that status with a JSON body `{ error }`; `?retryAfter=X` sets `Retry-After: X`.
 * - `/text`: 200 `text/plain` `hello`.
 * - `/json-as-text`: 200 `text/plain` `{"a":1}`.
 * - `/bad-json`: 200 `application/json` with an invalid body.
 * - `/slow`: 200 `late`, after 2 s.
 * - anything else: 404.
 */
export const connectorTestRoutes: RequestHandler = (request): ScriptedResponse => {
  const url = new URL(request.path, 'http://localhost');
  const status = /^\/status\/(\d{3})$/.exec(url.pathname);
  if (url.pathname === '/echo') {
    return {
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-echo': 'yes' },
      body: { method: request.method, url: request.path, headers: request.headers, body: request.text },
    };
  }
  if (status) {
    const retryAfter = url.searchParams.get('retryAfter');
    return {
      status: Number(status[1]),
      headers: retryAfter === null ? {} : { 'retry-after': retryAfter },
      body: { error: `status ${status[1]} as asked` },
    };
  }
  if (url.pathname === '/text') return { body: 'hello' };
  if (url.pathname === '/json-as-text') return { body: '{"a":1}' };
  if (url.pathname === '/bad-json') return { headers: { 'content-type': 'application/json' }, body: '{not json' };
  if (url.pathname === '/slow') return { body: 'late', delayMs: 2_000 };
  return { status: 404, body: '' };
};

/** A resolver answering from `answers` (a list per name, one per call, the last one repeated). */
export function resolverOf(answers: Record<string, string[][]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    const queue = answers[hostname];
    if (!queue) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const next = queue.length > 1 ? queue.shift()! : queue[0];
    return next.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
  };
  return Object.assign(resolve, { calls });
}

/**
 * The socket opener of egress tests: records every address the guard let through and refuses any that is not
 * loopback, so a broken guard fails the test instead of reaching the network.
 */
export function loopbackOnly(opened: string[]): buildConnector.connector {
  const real = buildConnector({});
  return (options, callback) => {
    opened.push(options.hostname);
    if (options.hostname !== '127.0.0.1' && options.hostname !== '::1') return callback(new Error(`test hook: refused to open ${options.hostname}`), null);
    return real(options, callback);
  };
}
