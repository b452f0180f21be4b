/**
 * Deny by default, over the wire: no or bad credentials are refused on every kind of handler, a key acts
 * with its role, and the public routes stay reachable without credentials.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, type Role } from '@trellis/api';
import { eventually } from '@trellis/test-support';
import { type ApiTestContext, setDag, startTestApi, TEST_API_KEY } from './support/api-test-context.js';
import { subscribe } from './support/subscriptions.js';

let ctx: ApiTestContext;
beforeAll(async () => {
  ctx = await startTestApi();
});
afterAll(async () => {
  await ctx?.close();
});

const AGENTS = `{ agents { id } }`;
const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const START = `mutation ($agentId: ID!) { startRun(agentId: $agentId) { id } }`;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Stores an API key of the bootstrap key's workspace with `role` (and `extra` columns); returns the key. */
async function storedKey(role: Role, extra: { revokedAt?: Date; expiresAt?: Date } = {}): Promise<string> {
  const owner = await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { tokenHash: sha256(TEST_API_KEY) } });
  const { key, prefix, hash } = generateApiKey();
  await ctx.db.prisma.apiKey.create({ data: { workspaceId: owner.workspaceId, name: `${role} key`, prefix, tokenHash: hash, role, ...extra } });
  return key;
}

function codeOf(response: { errors?: { extensions?: { code?: string } }[] }): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

describe('authentication', () => {
  it('refuses queries and mutations without credentials, and stores nothing', async () => {
    const before = await ctx.rowCounts();
    expect(codeOf(await ctx.graphqlWith({}, AGENTS))).toBe('UNAUTHENTICATED');
    expect(codeOf(await ctx.graphqlWith({}, CREATE, { input: { name: 'anonymous', dag: setDag() } }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await ctx.graphqlWith({}, `{ nodeTypes { type } }`))).toBe('UNAUTHENTICATED');
    expect(await ctx.rowCounts()).toEqual(before);
  });

  it('refuses malformed, checksum-broken, unknown, revoked and expired keys', async () => {
    const valid = generateApiKey().key;
    const flipped = `${valid.slice(0, 10)}${valid[10] === 'a' ? 'b' : 'a'}${valid.slice(11)}`;
    const revoked = await storedKey('OWNER', { revokedAt: new Date() });
    const expired = await storedKey('OWNER', { expiresAt: new Date(Date.now() - 1_000) });
    const authorizations = [
      'Bearer',
      'Bearer ',
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      `Bearer ${flipped}`,
      `Bearer ${valid}`,
      `Bearer ${randomBytes(8).toString('hex')}`,
      `Bearer ${revoked}`,
      `Bearer ${expired}`,
      `Bearer ${TEST_API_KEY} extra`,
    ];
    for (const authorization of authorizations) {
      expect(codeOf(await ctx.graphqlWith({ authorization }, AGENTS)), authorization).toBe('UNAUTHENTICATED');
    }
    expect(codeOf(await ctx.graphqlWith({ authorization: `bearer ${TEST_API_KEY}` }, AGENTS))).toBeUndefined();
  });

  it('closes a socket without valid credentials with 4401 before any subscription', async () => {
    for (const authorization of [null, 'Bearer not-a-key-at-all-0123456789abcdef', `Bearer ${generateApiKey().key}`]) {
      const feed = subscribe(ctx.api.graphqlUrl, `subscription ($agentId: ID!) { runUpdated(agentId: $agentId) { id } }`, { agentId: randomUUID() }, { authorization });
      const end = await feed.ended;
      await feed.close();
      expect(end, String(authorization)).toEqual({ kind: 'closed', code: 4401 });
    }
  });

  it('keeps the public routes reachable without credentials', async () => {
    expect((await fetch(`${ctx.api.url}/healthz`)).status).toBe(200);
    // The webhook receiver and decision links answer with their own checks (signature, link token), never
    // with the access guard's UNAUTHENTICATED.
    const hook = await fetch(`${ctx.api.url}/hooks/${randomUUID()}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const link = await fetch(`${ctx.api.url}/approvals/${randomUUID()}/decision?token=x`, { headers: { accept: 'application/json' } });
    for (const response of [hook, link]) {
      const text = await response.text();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(text).not.toContain('UNAUTHENTICATED');
    }
  });
});

describe('authorization', () => {
  it('lets a VIEWER key read but not start runs or create agents, and records when a key was used', async () => {
    const viewer = await storedKey('VIEWER');
    const authorization = `Bearer ${viewer}`;
    const { createAgent } = await ctx.graphqlOk<{ createAgent: { id: string } }>(CREATE, { input: { name: 'viewed', dag: setDag() } });
    expect(codeOf(await ctx.graphqlWith({ authorization }, AGENTS))).toBeUndefined();
    expect(codeOf(await ctx.graphqlWith({ authorization }, START, { agentId: createAgent.id }))).toBe('FORBIDDEN');
    expect(codeOf(await ctx.graphqlWith({ authorization }, CREATE, { input: { name: 'not-allowed', dag: setDag() } }))).toBe('FORBIDDEN');
    expect(await ctx.db.prisma.run.count({ where: { agentId: createAgent.id } })).toBe(0);
    await eventually(async () => (await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { tokenHash: sha256(viewer) } })).lastUsedAt !== null);
  });

  it('lets an OPERATOR key start a run', async () => {
    const operator = await storedKey('OPERATOR');
    const { createAgent } = await ctx.graphqlOk<{ createAgent: { id: string } }>(CREATE, { input: { name: 'operated', dag: setDag() } });
    const response = await ctx.graphqlWith<{ startRun: { id: string } }>({ authorization: `Bearer ${operator}` }, START, { agentId: createAgent.id });
    expect(response.errors).toBeUndefined();
    expect(response.data?.startRun.id).toEqual(expect.any(String));
  });
});

describe('bootstrap API key', () => {
  it('is one OWNER key of the first workspace, whatever the number of starts', async () => {
    const again = await startTestApi({ db: ctx.db });
    try {
      expect(codeOf(await again.graphql(AGENTS))).toBeUndefined();
    } finally {
      await again.close();
    }
    const keys = await ctx.db.prisma.apiKey.findMany({ where: { tokenHash: sha256(TEST_API_KEY) } });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ role: 'OWNER', revokedAt: null });
    expect(await ctx.db.prisma.workspace.count()).toBe(1);
  });
});
