import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError, httpConnector, parseConnectorConfig, parseRetryAfter, request } from '../src/index.js';
import { freePort, startHttpFixture, type HttpFixture } from '@trellis/test-support';
import { allowFixture, connectorTestRoutes, rejectionOf, testContext, testOutbound } from './test-helpers.js';

let server: HttpFixture;
beforeAll(async () => {
  server = await startHttpFixture({ fallback: connectorTestRoutes });
});
afterAll(async () => {
  await server.close();
});

/** Parses like the activity does, then runs the connector. */
function runHttp(config: unknown, env = allowFixture(server.url)) {
  return httpConnector.execute(parseConnectorConfig(httpConnector.configSchema, config, 'http'), testContext(env));
}

const failureOf = (promise: Promise<unknown>): Promise<ConnectorError> => rejectionOf(promise, ConnectorError);

describe('http connector', () => {
  it('GETs by default and merges query into the URL', async () => {
    const output = (await runHttp({ url: `${server.url}/echo?keep=1&page=0`, query: { page: 2, q: 'a b', flag: true } })) as {
      status: number;
      headers: Record<string, string>;
      body: { method: string; url: string };
    };
    expect(output.status).toBe(200);
    expect(output.headers['x-echo']).toBe('yes');
    expect(output.body.method).toBe('GET');
    const sent = new URL(output.body.url, 'http://x');
    expect(sent.searchParams.get('keep')).toBe('1');
    expect(sent.searchParams.get('page')).toBe('2');
    expect(sent.searchParams.get('q')).toBe('a b');
    expect(sent.searchParams.get('flag')).toBe('true');
  });

  it('POSTs an object body as JSON with its content-type', async () => {
    const output = (await runHttp({
      method: 'POST',
      url: `${server.url}/echo`,
      headers: { 'X-Custom': 'v' },
      body: { name: 'Ada', tags: [1, 2] },
    })) as { body: { method: string; headers: Record<string, string>; body: string } };
    expect(output.body.method).toBe('POST');
    expect(output.body.headers['content-type']).toBe('application/json');
    expect(output.body.headers['x-custom']).toBe('v');
    expect(JSON.parse(output.body.body)).toEqual({ name: 'Ada', tags: [1, 2] });
  });

  it('sends a string body as-is', async () => {
    const output = (await runHttp({
      method: 'PUT',
      url: `${server.url}/echo`,
      headers: { 'content-type': 'text/plain' },
      body: 'raw text',
    })) as { body: { headers: Record<string, string>; body: string } };
    expect(output.body.body).toBe('raw text');
    expect(output.body.headers['content-type']).toBe('text/plain');
  });

  it('404 is a non-retryable HttpStatusError naming the status', async () => {
    const error = await failureOf(runHttp({ url: `${server.url}/status/404?token=secret` }));
    expect(error.type).toBe('HttpStatusError');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`HTTP 404 Not Found from GET ${server.url}/status/404`);
    expect(error.data).toEqual({ status: 404, statusText: 'Not Found', body: { error: 'status 404 as asked' } });
  });

  it('503 is retryable and honours Retry-After seconds', async () => {
    const error = await failureOf(runHttp({ url: `${server.url}/status/503`, query: { retryAfter: '7' } }));
    expect(error.type).toBe('HttpStatusError');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.message).toContain('503');
  });

  it('500 is retryable without a retry delay', async () => {
    const error = await failureOf(runHttp({ url: `${server.url}/status/500`, query: { retryAfter: '7' } }));
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('429 honours Retry-After as an HTTP-date', async () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const error = await failureOf(runHttp({ method: 'POST', url: `${server.url}/status/429`, query: { retryAfter: inTenSeconds } }));
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThan(8000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(10_000);
  });

  it('connection refused is a retryable NetworkError', async () => {
    const port = await freePort();
    const error = await failureOf(runHttp({ url: `http://127.0.0.1:${port}/x` }, allowFixture(`http://127.0.0.1:${port}`)));
    expect(error.type).toBe('NetworkError');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.data).toEqual({ code: 'ECONNREFUSED' });
  });

  it('decodes by content-type, or as asked by responseType', async () => {
    expect(((await runHttp({ url: `${server.url}/text` })) as { body: unknown }).body).toBe('hello');
    expect(((await runHttp({ url: `${server.url}/json-as-text` })) as { body: unknown }).body).toBe('{"a":1}');
    expect(((await runHttp({ url: `${server.url}/json-as-text`, responseType: 'json' })) as { body: unknown }).body).toEqual({ a: 1 });
    expect(((await runHttp({ url: `${server.url}/echo`, responseType: 'text' })) as { body: unknown }).body).toEqual(
      expect.stringContaining('"method":"GET"'),
    );
  });

  it('invalid JSON is a non-retryable typed error', async () => {
    const error = await failureOf(runHttp({ url: `${server.url}/bad-json` }));
    expect(error.type).toBe('InvalidJsonResponse');
    expect(error.retryable).toBe(false);
    const textError = await failureOf(runHttp({ url: `${server.url}/text`, responseType: 'json' }));
    expect(textError.type).toBe('InvalidJsonResponse');
  });

  it('rejects invalid config: bad URL, unknown keys, non-http protocol', () => {
    expect(() => parseConnectorConfig(httpConnector.configSchema, { url: 'not a url' }, 'http')).toThrow(/config\.url: /);
    expect(() => parseConnectorConfig(httpConnector.configSchema, { url: 'ftp://example.com/x' }, 'http')).toThrow(/config\.url: /);
    expect(() => parseConnectorConfig(httpConnector.configSchema, { url: 'https://example.com', verb: 'GET' }, 'http')).toThrow(/verb/);
    expect(parseConnectorConfig(httpConnector.configSchema, { url: 'https://example.com' }, 'http')).toEqual({
      method: 'GET',
      url: 'https://example.com',
    });
  });
});

describe('request helper', () => {
  it('times out with a retryable TimeoutError', async () => {
    const error = await failureOf(request({ url: `${server.url}/slow`, timeoutMs: 100 }, testOutbound(allowFixture(server.url))));
    expect(error.type).toBe('TimeoutError');
    expect(error.retryable).toBe(true);
  });

  it('rethrows the caller’s abort reason unchanged', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by test');
    setTimeout(() => controller.abort(reason), 50);
    await expect(request({ url: `${server.url}/slow`, signal: controller.signal }, testOutbound(allowFixture(server.url)))).rejects.toBe(reason);
  });

  it('refuses a body on GET as a ConfigError', async () => {
    const error = await failureOf(request({ url: `${server.url}/echo`, body: { a: 1 } }, testOutbound(allowFixture(server.url))));
    expect(error.type).toBe('ConfigError');
    expect(error.retryable).toBe(false);
  });

  it('HEAD returns no body', async () => {
    const response = await request({ method: 'HEAD', url: `${server.url}/echo` }, testOutbound(allowFixture(server.url)));
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  it('parses seconds and HTTP-dates, ignores junk', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
