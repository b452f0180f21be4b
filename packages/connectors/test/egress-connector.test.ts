/**
 * The guarded connector against a real local server, with DNS answers from a resolver the test controls.
 * No test connection may leave loopback: the connector's socket opener is wrapped in a hook that records
 * every address the guard let through and refuses any that is not loopback, so a broken guard fails the
 * test instead of reaching the network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { startHttpFixture, type HttpFixture } from '@trellis/test-support';
import { EgressBlockedError, guardedConnector, type Resolver } from '../src/egress/guarded-connector.js';
import { readEgressPolicy } from '../src/egress/egress-policy.js';
import { loopbackOnly, resolverOf } from './test-helpers.js';

let server: HttpFixture;
let port: number;
beforeAll(async () => {
  server = await startHttpFixture();
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server?.close();
});

/** Sends one GET through a fresh agent (a new connection) with the guard and the recording hook. */
async function get(url: string, allow: string, resolve: Resolver, opened: string[]) {
  const agent = new Agent({ connect: guardedConnector(readEgressPolicy({ TRELLIS_EGRESS_ALLOW: allow }), { resolve, connect: loopbackOnly(opened) }) });
  try {
    const response = await request(url, { dispatcher: agent });
    await response.body.text();
    return response.statusCode;
  } finally {
    await agent.close();
  }
}

describe('guardedConnector', () => {
  it('reaches an allowlisted local server by name, connecting to the checked address with the name in Host', async () => {
    const opened: string[] = [];
    const resolve = resolverOf({ 'orders.test': [['127.0.0.1']] });
    expect(await get(`http://orders.test:${port}/lookup`, `127.0.0.1:${port}`, resolve, opened)).toBe(200);
    expect(opened).toEqual(['127.0.0.1']);
    expect(server.requests.at(-1)?.headers.host).toBe(`orders.test:${port}`);
  });

  it('refuses loopback that is not listed, before any socket is opened', async () => {
    const opened: string[] = [];
    await expect(get(`http://127.0.0.1:${port}/`, '', resolverOf({}), opened)).rejects.toMatchObject({ name: 'EgressBlocked', rule: 'restricted' });
    await expect(get(`http://[::ffff:127.0.0.1]:${port}/`, '', resolverOf({}), opened)).rejects.toBeInstanceOf(EgressBlockedError);
    expect(opened).toEqual([]);
  });

  it('refuses a name with one private address among allowed ones, and a name that does not resolve', async () => {
    const opened: string[] = [];
    const resolve = resolverOf({ 'mixed.test': [['127.0.0.1', '10.0.0.1']] });
    await expect(get(`http://mixed.test:${port}/`, `127.0.0.1:${port}`, resolve, opened)).rejects.toMatchObject({ rule: 'restricted', message: expect.stringContaining('10.0.0.1') });
    await expect(get(`http://nowhere.test:${port}/`, `127.0.0.1:${port}`, resolve, opened)).rejects.toMatchObject({ rule: 'dns' });
    expect(opened).toEqual([]);
  });

  it('checks every connection: a name whose second resolution turns private is refused then', async () => {
    const opened: string[] = [];
    const resolve = resolverOf({ 'rebind.test': [['127.0.0.1'], ['10.0.0.7']] });
    expect(await get(`http://rebind.test:${port}/`, `127.0.0.1:${port}`, resolve, opened)).toBe(200);
    await expect(get(`http://rebind.test:${port}/`, `127.0.0.1:${port}`, resolve, opened)).rejects.toMatchObject({ rule: 'restricted' });
    expect(resolve.calls).toEqual(['rebind.test', 'rebind.test']);
    expect(opened).toEqual(['127.0.0.1']);
  });

  it('never opens metadata, and a listed address opens only itself', async () => {
    const opened: string[] = [];
    await expect(get('http://169.254.169.254/latest/meta-data/', '169.254.0.0/16', resolverOf({}), opened)).rejects.toMatchObject({ rule: 'metadata' });
    await expect(get('http://10.0.5.13/', '10.0.5.12', resolverOf({}), opened)).rejects.toMatchObject({ rule: 'restricted' });
    expect(opened).toEqual([]);
    // The listed address passes the guard; the test hook is what stops it from leaving the machine.
    await expect(get('http://10.0.5.12/', '10.0.5.12', resolverOf({}), opened)).rejects.toThrow(/test hook: refused to open 10.0.5.12/);
    expect(opened).toEqual(['10.0.5.12']);
  });
});
