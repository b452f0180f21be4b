/**
 * The outbound path as connectors use it: `request` and the LLM SDKs through a session, against local servers,
 * with DNS answers from a resolver the test controls. Every socket goes through a hook that refuses anything
 * but loopback, so a broken guard fails here instead of reaching the network; a refused loopback request is
 * shown refused by the server not seeing it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFixture, type HttpFixture } from '@trellis/test-support';
import {
  ConnectorError,
  createOutbound,
  httpConnector,
  llmConnector,
  parseConnectorConfig,
  readEgressPolicy,
  request,
  type OutboundSession,
  type Resolver,
  type SecretUse,
} from '../src/index.js';
import { loopbackOnly, rejectionOf, resolverOf, testContext } from './test-helpers.js';

let allowed: HttpFixture;
let other: HttpFixture;
let hidden: HttpFixture;
beforeAll(async () => {
  [allowed, other, hidden] = await Promise.all([startHttpFixture(), startHttpFixture(), startHttpFixture()]);
});
afterAll(async () => {
  await Promise.all([allowed?.close(), other?.close(), hidden?.close()]);
});

const portOf = (fixture: HttpFixture) => Number(new URL(fixture.url).port);

/** A session allowing `allow` (a `TRELLIS_EGRESS_ALLOW` value), recording opened sockets in `opened`. */
function session(allow: string, options: { resolve?: Resolver; opened?: string[]; secrets?: SecretUse[]; mode?: string; maxResponseBytes?: number } = {}): OutboundSession {
  const policy = readEgressPolicy({ TRELLIS_EGRESS_ALLOW: allow, TRELLIS_EGRESS_MODE: options.mode });
  return createOutbound(policy, { resolve: options.resolve ?? resolverOf({}), connect: loopbackOnly(options.opened ?? []), maxResponseBytes: options.maxResponseBytes }).open(options.secrets);
}

const failureOf = (promise: Promise<unknown>): Promise<ConnectorError> => rejectionOf(promise, ConnectorError);

describe('request through the egress policy', () => {
  it('refuses every loopback form that is not listed, without retrying, and reaches the listed one', async () => {
    const port = portOf(hidden);
    const forms = ['127.0.0.1', '127.1', '2130706433', '0x7f.0.0.1', '017700000001', '0.0.0.0', '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::]'];
    for (const host of forms) {
      const error = await failureOf(request({ url: `http://${host}:${port}/peek` }, session(`127.0.0.1:${portOf(allowed)}`)));
      expect(error, host).toMatchObject({ type: 'EgressBlocked', retryable: false });
      expect(error.message, host).toMatch(/loopback|unspecified|reserved/);
    }
    expect(hidden.requests).toEqual([]);
    const reached = await request({ url: `${allowed.url}/ok` }, session(`127.0.0.1:${portOf(allowed)}`));
    expect(reached.status).toBe(200);
  });

  it('refuses metadata even when its range is listed, and a listed address leaves its neighbour refused', async () => {
    const opened: string[] = [];
    expect(await failureOf(request({ url: 'http://169.254.169.254/latest/meta-data/' }, session('169.254.0.0/16', { opened })))).toMatchObject({ type: 'EgressBlocked', data: { rule: 'metadata' } });
    const metadataName = resolverOf({ 'metadata.google.internal': [['169.254.169.254']] });
    expect(await failureOf(request({ url: 'http://metadata.google.internal/' }, session('169.254.0.0/16', { opened, resolve: metadataName })))).toMatchObject({ data: { rule: 'metadata' } });
    expect(await failureOf(request({ url: 'http://10.0.5.13/' }, session('10.0.5.12', { opened })))).toMatchObject({ data: { rule: 'restricted' } });
    expect(opened).toEqual([]);
  });

  it('fails closed on a name that does not resolve or resolves to a public and a private address', async () => {
    const opened: string[] = [];
    const resolve = resolverOf({ 'split.test': [['93.184.216.34', '10.1.2.3']] });
    expect(await failureOf(request({ url: 'http://nxdomain.test/' }, session('', { resolve, opened })))).toMatchObject({ type: 'EgressBlocked', data: { rule: 'dns' } });
    expect(await failureOf(request({ url: 'http://split.test/' }, session('', { resolve, opened })))).toMatchObject({ type: 'EgressBlocked', data: { rule: 'restricted' } });
    expect(opened).toEqual([]);
  });

  it('refuses every scheme but http and https, in the config and in a redirect', async () => {
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:70/', 'ftp://example.com/x']) {
      expect(() => parseConnectorConfig(httpConnector.configSchema, { url }, 'http'), url).toThrow(/config\.url: must be a valid http or https URL/);
      expect(await failureOf(request({ url }, session(''))), url).toMatchObject({ type: 'ConfigError', retryable: false });
    }
    allowed.enqueue('GET /to-file', { status: 302, headers: { location: 'file:///etc/passwd' } });
    expect(await failureOf(request({ url: `${allowed.url}/to-file` }, session(`127.0.0.1:${portOf(allowed)}`)))).toMatchObject({ type: 'EgressBlocked', data: { rule: 'scheme' } });
  });

  it('in allowlist-only mode refuses public addresses that are not listed', async () => {
    const opened: string[] = [];
    const resolve = resolverOf({ 'api.public.test': [['93.184.216.34']] });
    expect(await failureOf(request({ url: 'https://api.public.test/' }, session('', { resolve, opened, mode: 'allowlist-only' })))).toMatchObject({ data: { rule: 'not-listed' } });
    expect(opened).toEqual([]);
  });
});

describe('redirects', () => {
  const both = () => `127.0.0.1:${portOf(allowed)},127.0.0.1:${portOf(other)}`;

  it('checks every hop: an allowed host redirecting to unlisted loopback is refused', async () => {
    allowed.enqueue('GET /bounce', { status: 302, headers: { location: `${hidden.url}/admin` } });
    expect(await failureOf(request({ url: `${allowed.url}/bounce` }, session(`127.0.0.1:${portOf(allowed)}`)))).toMatchObject({ type: 'EgressBlocked', data: { rule: 'restricted' } });
    expect(hidden.requests).toEqual([]);
  });

  it('drops credentials and secret-bearing headers when the origin changes, and keeps them on the same origin', async () => {
    const secret: SecretUse = { name: 'TOKEN', value: 'tok-123', allowedHosts: [] };
    allowed.enqueue('GET /same', { status: 307, headers: { location: '/same-2' } });
    allowed.enqueue('GET /same-2', { status: 307, headers: { location: `${other.url}/landing` } });
    const headers = { authorization: 'Bearer tok-123', cookie: 'sid=1', 'x-api-key': 'key tok-123', 'x-trace': 'keep' };
    const response = await request({ url: `${allowed.url}/same`, headers }, session(both(), { secrets: [secret] }));
    expect(response.status).toBe(200);
    const sameOrigin = allowed.requests.find((entry) => entry.path === '/same-2')!;
    expect(sameOrigin.headers).toMatchObject({ authorization: 'Bearer tok-123', cookie: 'sid=1', 'x-api-key': 'key tok-123' });
    const landed = other.requests.find((entry) => entry.path === '/landing')!;
    expect(landed.headers.authorization).toBeUndefined();
    expect(landed.headers.cookie).toBeUndefined();
    expect(landed.headers['x-api-key']).toBeUndefined();
    expect(landed.headers['x-trace']).toBe('keep');
  });

  it('turns a POST into a GET without a body on 303, keeps it on 307, and stops after five hops', async () => {
    allowed.enqueue('POST /see-other', { status: 303, headers: { location: '/result' } });
    await request({ method: 'POST', url: `${allowed.url}/see-other`, body: { a: 1 } }, session(both()));
    expect(allowed.requests.find((entry) => entry.path === '/result')).toMatchObject({ method: 'GET', text: '' });
    allowed.enqueue('POST /temporary', { status: 307, headers: { location: '/kept' } });
    await request({ method: 'POST', url: `${allowed.url}/temporary`, body: { a: 1 } }, session(both()));
    expect(allowed.requests.find((entry) => entry.path === '/kept')).toMatchObject({ method: 'POST', body: { a: 1 } });

    allowed.always('GET /loop', { status: 302, headers: { location: '/loop' } });
    const before = allowed.requests.filter((entry) => entry.path === '/loop').length;
    expect(await failureOf(request({ url: `${allowed.url}/loop` }, session(both())))).toMatchObject({ type: 'TooManyRedirects', retryable: false });
    expect(allowed.requests.filter((entry) => entry.path === '/loop').length - before).toBe(6);
  });

  it('sends a secret only to its allowed hosts, on the first hop and after a redirect', async () => {
    const pinned: SecretUse = { name: 'PINNED', value: 'pinned-1', allowedHosts: [`127.0.0.1:${portOf(allowed)}`] };
    const direct = await failureOf(request({ url: `${other.url}/direct`, headers: { 'x-key': 'pinned-1' } }, session(both(), { secrets: [pinned] })));
    expect(direct).toMatchObject({ type: 'SecretHostNotAllowed', retryable: false, data: { secret: 'PINNED', host: `127.0.0.1:${portOf(other)}` } });
    allowed.enqueue('POST /hop', { status: 307, headers: { location: `${other.url}/stolen` } });
    const hop = await failureOf(request({ method: 'POST', url: `${allowed.url}/hop`, body: 'pinned-1' }, session(both(), { secrets: [pinned] })));
    expect(hop.type).toBe('SecretHostNotAllowed');
    expect(other.requests.filter((entry) => entry.path === '/direct' || entry.path === '/stolen')).toEqual([]);
  });
});

describe('responses', () => {
  it('are capped: larger bodies fail with ResponseTooLarge, declared or streamed', async () => {
    allowed.always('GET /big', { body: 'x'.repeat(4096) });
    const capped = session(`127.0.0.1:${portOf(allowed)}`, { maxResponseBytes: 1024 });
    expect(await failureOf(request({ url: `${allowed.url}/big` }, capped))).toMatchObject({ type: 'ResponseTooLarge', retryable: false });
    expect(await failureOf(request({ url: `${allowed.url}/big`, maxResponseBytes: 100 }, session(`127.0.0.1:${portOf(allowed)}`)))).toMatchObject({ type: 'ResponseTooLarge' });
    expect((await request({ url: `${allowed.url}/big`, maxResponseBytes: 4096 }, capped)).body).toHaveLength(4096);
  });
});

describe('LLM SDKs', () => {
  it('go through the same path: an unlisted base URL fails with EgressBlocked, for OpenAI and Gemini alike', async () => {
    const run = (provider: 'openai' | 'gemini') =>
      llmConnector.execute(
        parseConnectorConfig(llmConnector.configSchema, { provider, model: 'm', prompt: 'hi', apiKey: 'k', baseUrl: provider === 'openai' ? `${hidden.url}/v1` : hidden.url }, 'llm'),
        testContext({ TRELLIS_EGRESS_ALLOW: `127.0.0.1:${portOf(allowed)}` }),
      );
    for (const provider of ['openai', 'gemini'] as const) {
      expect(await failureOf(run(provider)), provider).toMatchObject({ type: 'EgressBlocked', retryable: false, data: { rule: 'restricted' } });
    }
    expect(hidden.requests).toEqual([]);
  });
});
