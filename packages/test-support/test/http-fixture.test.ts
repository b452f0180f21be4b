import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePorts, stablePort, startCountingServer, startHttpFixture, type HttpFixture } from '../src/index.js';

let fixture: HttpFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('startHttpFixture', () => {
  it('answers from the queue, then the fixed answer, then the fallback, and logs every request', async () => {
    fixture = await startHttpFixture({ fallback: (request) => ({ status: 404, body: `no ${request.path}` }) });
    fixture.enqueue('POST /hook', { status: 503, headers: { 'retry-after': '1' } }, { body: 'second' });
    fixture.always('POST /hook', (request) => ({ body: { got: request.body } }));

    const first = await post(`${fixture.url}/hook?attempt=1`, { n: 1 });
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(await first.json()).toEqual({});
    const second = await post(`${fixture.url}/hook`, { n: 2 });
    expect(second.headers.get('content-type')).toBe('text/plain');
    expect(await second.text()).toBe('second');
    expect(await (await post(`${fixture.url}/hook`, { n: 3 })).json()).toEqual({ got: { n: 3 } });
    const other = await fetch(`${fixture.url}/other?x=1`);
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('no /other?x=1');

    expect(fixture.count('POST /hook')).toBe(3);
    expect(fixture.count('GET /other')).toBe(1);
    expect(fixture.served).toBe(4);
    expect(fixture.requests.map((request) => [request.method, request.path, request.body])).toEqual([
      ['POST', '/hook?attempt=1', { n: 1 }],
      ['POST', '/hook', { n: 2 }],
      ['POST', '/hook', { n: 3 }],
      ['GET', '/other?x=1', undefined],
    ]);
    expect(fixture.requests[0].text).toBe('{"n":1}');
    expect(fixture.requests[0].headers['content-type']).toBe('application/json');
  });

  it('keeps a non-JSON body as text, and answers 500 when a handler throws', async () => {
    fixture = await startHttpFixture();
    fixture.always('POST /boom', () => {
      throw new Error('broken handler');
    });
    const response = await fetch(`${fixture.url}/boom`, { method: 'POST', body: 'not json' });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { message: expect.stringContaining('broken handler') } });
    expect(fixture.requests[0].body).toBe('not json');
    expect(await (await fetch(`${fixture.url}/anything`)).json()).toEqual({});
  });

  it('counts the requests in flight at once, and drops unanswered ones on close', async () => {
    fixture = await startHttpFixture();
    fixture.always('GET /slow', { delayMs: 200 });
    fixture.always('GET /never', () => new Promise<never>(() => {}));
    await Promise.all([1, 2, 3].map(() => fetch(`${fixture!.url}/slow`)));
    expect(fixture.maxInFlight).toBe(3);
    expect(fixture.served).toBe(3);

    const hanging = fetch(`${fixture.url}/never`);
    await expect.poll(() => fixture!.count('GET /never')).toBe(1);
    await fixture.close();
    fixture = undefined;
    await expect(hanging).rejects.toThrow();
  });
});

describe('startCountingServer', () => {
  it('doubles values, refuses those in failFor with 400, and records the values in order', async () => {
    const server = await startCountingServer(10);
    try {
      server.failFor.add(2);
      expect(await (await post(`${server.url}/double`, { value: 21 })).json()).toEqual({ value: 42 });
      const refused = await post(`${server.url}/double`, { value: 2 });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({ error: 'refused' });
      expect(server.values).toEqual([21, 2]);
      expect(server.served).toBe(2);
    } finally {
      await server.close();
    }
  });
});

describe('freePorts', () => {
  it('returns distinct ports that can be bound', async () => {
    const ports = await freePorts(3);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      await new Promise((resolve) => server.close(resolve));
    }
    await expect(freePorts(0)).rejects.toBeInstanceOf(RangeError);
  });
});

describe('stablePort', () => {
  it('returns a bindable port below the ephemeral range, which freePorts never hands out', async () => {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const port = await stablePort();
    expect(port).toBeGreaterThanOrEqual(20_000);
    expect(port).toBeLessThan(ephemeralLow);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise((resolve) => server.close(resolve));
    for (const free of await freePorts(5)) expect(free).toBeGreaterThanOrEqual(ephemeralLow);
  });
});
