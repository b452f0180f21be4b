import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@trellis/test-support';
import { type ApiTestContext, startTestApi } from './support/api-test-context.js';

let ctx: ApiTestContext;
beforeAll(async () => {
  ctx = await startTestApi();
});
afterAll(async () => {
  await ctx?.close();
});

describe('GET /healthz', () => {
  it('answers 200 when Postgres and Temporal are reachable', async () => {
    const response = await fetch(`${ctx.api.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', postgres: 'up', temporal: 'up' });
  });

  it('answers 503 naming Temporal when Temporal is unreachable', async () => {
    const port = await freePort();
    const offline = await startTestApi({ db: ctx.db, temporalAddress: `127.0.0.1:${port}` });
    try {
      const started = Date.now();
      const response = await fetch(`${offline.api.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', postgres: 'up', temporal: 'down' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await offline.close();
    }
  });

  it('answers 503 naming Postgres when the database is unreachable', async () => {
    const port = await freePort();
    const brokenDb = { ...ctx.db, url: `postgresql://root@127.0.0.1:${port}/test` };
    const offline = await startTestApi({ db: brokenDb });
    try {
      const response = await fetch(`${offline.api.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', postgres: 'down', temporal: 'up' });
    } finally {
      await offline.close();
    }
  });
});
