/**
 * API key management over the wire: `createApiKey`, `apiKeys` and `revokeApiKey` need `apiKeys:manage`
 * (ADMIN and above), stay inside the caller's workspace, never hand out or take away more than the caller's
 * role, and a key created here authenticates with its role until it is revoked or expires.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, type Role } from '@trellis/api';
import { eventually } from '@trellis/test-support';
import { type ApiTestContext, type GraphqlResponse, setDag, startTestApi, TEST_API_KEY } from './support/api-test-context.js';

let ctx: ApiTestContext;
/** The workspace of the bootstrap key, where the keys of these tests are created. */
let workspaceId: string;
beforeAll(async () => {
  ctx = await startTestApi();
  workspaceId = (await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { tokenHash: sha256(TEST_API_KEY) } })).workspaceId;
});
afterAll(async () => {
  await ctx?.close();
});

const KEY_FIELDS = `id name prefix role createdBy { id email } createdAt lastUsedAt expiresAt revokedAt`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { ${KEY_FIELDS} } } }`;
const LIST_KEYS = `{ apiKeys { ${KEY_FIELDS} } }`;
const REVOKE_KEY = `mutation ($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`;
const AGENTS = `{ agents { id } }`;
const CREATE_AGENT = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const START_RUN = `mutation ($agentId: ID!) { startRun(agentId: $agentId) { id } }`;

interface ListedKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdBy: { id: string; email: string } | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}
interface CreatedKey {
  key: string;
  apiKey: ListedKey;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

function codeOf(response: GraphqlResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

/** Creates a key through the API with the bootstrap OWNER key (or `headers`); fails the test on an error. */
async function createKey(input: { name: string; role: Role; expiresAt?: string }, headers?: Record<string, string>): Promise<CreatedKey> {
  const response = headers
    ? await ctx.graphqlWith<{ createApiKey: CreatedKey }>(headers, CREATE_KEY, { input })
    : await ctx.graphql<{ createApiKey: CreatedKey }>(CREATE_KEY, { input });
  expect(response.errors).toBeUndefined();
  return response.data!.createApiKey;
}

async function listKeys(headers?: Record<string, string>): Promise<ListedKey[]> {
  const response = headers
    ? await ctx.graphqlWith<{ apiKeys: ListedKey[] }>(headers, LIST_KEYS)
    : await ctx.graphql<{ apiKeys: ListedKey[] }>(LIST_KEYS);
  expect(response.errors).toBeUndefined();
  return response.data!.apiKeys;
}

/** Stores a key straight in the database, bypassing the API's role ceiling; returns its value and id. */
async function insertKey(role: Role, inWorkspace = workspaceId): Promise<{ key: string; id: string }> {
  const { key, prefix, hash } = generateApiKey();
  const row = await ctx.db.prisma.apiKey.create({ data: { workspaceId: inWorkspace, name: `stored ${role}`, prefix, tokenHash: hash, role } });
  return { key, id: row.id };
}

/** An agent to try `startRun` on. */
async function agentId(): Promise<string> {
  const { createAgent } = await ctx.graphqlOk<{ createAgent: { id: string } }>(CREATE_AGENT, { input: { name: `agent-${randomUUID()}`, dag: setDag() } });
  return createAgent.id;
}

describe('createApiKey', () => {
  it('returns a key that acts with its role, and lists it without its value', async () => {
    const created = await createKey({ name: '  reporting  ', role: 'VIEWER' });
    expect(created.key).toMatch(/^trl_[0-9A-Za-z]{49}$/);
    expect(created.apiKey).toMatchObject({
      name: 'reporting',
      prefix: created.key.slice(0, 12),
      role: 'VIEWER',
      createdBy: null,
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
    });
    const row = await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id } });
    expect(row).toMatchObject({ workspaceId, tokenHash: sha256(created.key), createdByUserId: null });

    const viewer = bearer(created.key);
    expect(codeOf(await ctx.graphqlWith(viewer, AGENTS))).toBeUndefined();
    expect(codeOf(await ctx.graphqlWith(viewer, START_RUN, { agentId: await agentId() }))).toBe('FORBIDDEN');

    const listed = await ctx.graphql(LIST_KEYS);
    const text = JSON.stringify(listed);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(sha256(created.key));
    const keys = (listed.data as { apiKeys: ListedKey[] }).apiKeys;
    expect(keys.find((key) => key.id === created.apiKey.id)).toMatchObject({ ...created.apiKey, lastUsedAt: expect.any(String) });
    expect(codeOf(await ctx.graphql(`{ apiKeys { tokenHash } }`))).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('lists the newest keys first', async () => {
    const first = await createKey({ name: 'older', role: 'VIEWER' });
    const second = await createKey({ name: 'newer', role: 'VIEWER' });
    const ids = (await listKeys()).map((key) => key.id);
    expect(ids.indexOf(second.apiKey.id)).toBeLessThan(ids.indexOf(first.apiKey.id));
    const times = (await listKeys()).map((key) => Date.parse(key.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('credits the signed-in user who created a key', async () => {
    const email = `admin-${randomUUID()}@example.com`;
    const user = await ctx.db.prisma.user.create({ data: { email, passwordHash: 'not used: the session is stored directly' } });
    await ctx.db.prisma.membership.create({ data: { workspaceId, userId: user.id, role: 'ADMIN' } });
    const token = randomBytes(32).toString('base64url');
    await ctx.db.prisma.session.create({ data: { tokenHash: sha256(token), userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });

    const created = await createKey({ name: 'made in a session', role: 'EDITOR' }, { cookie: `trellis_session=${token}` });
    expect(created.apiKey.createdBy).toEqual({ id: user.id, email });
    expect((await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id } })).createdByUserId).toBe(user.id);
    expect((await listKeys()).find((key) => key.id === created.apiKey.id)?.createdBy).toEqual({ id: user.id, email });
  });

  it('rejects an empty name, a too long name and a past expiry with their paths, and stores nothing', async () => {
    const before = await ctx.db.prisma.apiKey.count();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ name: '   ', role: 'VIEWER' }, ['input.name']],
      [{ name: 'x'.repeat(101), role: 'VIEWER' }, ['input.name']],
      [{ name: 'late', role: 'VIEWER', expiresAt: new Date(Date.now() - 60_000).toISOString() }, ['input.expiresAt']],
      [{ name: 'bad date', role: 'VIEWER', expiresAt: 'not a date' }, ['input.expiresAt']],
      [{ name: '', role: 'VIEWER', expiresAt: new Date(Date.now() - 1).toISOString() }, ['input.name', 'input.expiresAt']],
    ];
    for (const [input, paths] of cases) {
      const response = await ctx.graphql(CREATE_KEY, { input });
      expect(codeOf(response), JSON.stringify(input)).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.extensions?.issues?.map((issue) => issue.path)).toEqual(paths);
    }
    expect(await ctx.db.prisma.apiKey.count()).toBe(before);
    expect((await createKey({ name: 'x'.repeat(100), role: 'VIEWER' })).apiKey.name).toHaveLength(100);
  });
});

describe('revokeApiKey', () => {
  it('revokes a key, which is refused from then on, and keeps the first revocation time', async () => {
    const created = await createKey({ name: 'to revoke', role: 'OPERATOR' });
    expect(codeOf(await ctx.graphqlWith(bearer(created.key), START_RUN, { agentId: await agentId() }))).toBeUndefined();

    const first = await ctx.graphqlOk<{ revokeApiKey: ListedKey }>(REVOKE_KEY, { id: created.apiKey.id });
    expect(first.revokeApiKey).toMatchObject({ id: created.apiKey.id, revokedAt: expect.any(String) });
    expect(codeOf(await ctx.graphqlWith(bearer(created.key), AGENTS))).toBe('UNAUTHENTICATED');

    const second = await ctx.graphqlOk<{ revokeApiKey: ListedKey }>(REVOKE_KEY, { id: created.apiKey.id });
    expect(second.revokeApiKey.revokedAt).toBe(first.revokeApiKey.revokedAt);
    expect((await listKeys()).find((key) => key.id === created.apiKey.id)?.revokedAt).toBe(first.revokeApiKey.revokedAt);
  });

  it('answers NOT_FOUND for a key of another workspace exactly as for an unknown id, and BAD_USER_INPUT for a malformed one', async () => {
    const other = await ctx.db.prisma.workspace.create({ data: { name: `other-${randomUUID()}` } });
    const foreign = await insertKey('VIEWER', other.id);
    const foreignOwner = await insertKey('OWNER', other.id);

    const foreignResponse = await ctx.graphql(REVOKE_KEY, { id: foreign.id });
    const unknownId = randomUUID();
    const unknownResponse = await ctx.graphql(REVOKE_KEY, { id: unknownId });
    expect(codeOf(foreignResponse)).toBe('NOT_FOUND');
    expect(codeOf(unknownResponse)).toBe('NOT_FOUND');
    expect(foreignResponse.errors?.[0]?.message.replace(foreign.id, '<id>')).toBe(unknownResponse.errors?.[0]?.message.replace(unknownId, '<id>'));
    expect((await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: foreign.id } })).revokedAt).toBeNull();
    expect(codeOf(await ctx.graphqlWith(bearer(foreign.key), AGENTS))).toBeUndefined();

    const malformed = await ctx.graphql(REVOKE_KEY, { id: 'not-a-uuid' });
    expect(codeOf(malformed)).toBe('BAD_USER_INPUT');
    expect(malformed.errors?.[0]?.extensions?.issues?.map((issue) => issue.path)).toEqual(['id']);

    // Each workspace lists its own keys only.
    expect((await listKeys()).map((key) => key.id)).not.toContain(foreign.id);
    expect((await listKeys(bearer(foreignOwner.key))).map((key) => key.id).sort()).toEqual([foreign.id, foreignOwner.id].sort());
  });
});

describe('expiry', () => {
  it('refuses a key once its expiresAt has passed', async () => {
    const expiresAt = new Date(Date.now() + 3_000).toISOString();
    const created = await createKey({ name: 'short-lived', role: 'VIEWER', expiresAt });
    expect(created.apiKey.expiresAt).toBe(expiresAt);
    expect(codeOf(await ctx.graphqlWith(bearer(created.key), AGENTS))).toBeUndefined();
    await eventually(async () => codeOf(await ctx.graphqlWith(bearer(created.key), AGENTS)) === 'UNAUTHENTICATED');
  });
});

describe('the role ceiling', () => {
  it('keeps an ADMIN key from creating or revoking OWNER keys, but not ADMIN ones', async () => {
    const admin = bearer((await createKey({ name: 'admin', role: 'ADMIN' })).key);
    const before = await ctx.db.prisma.apiKey.count();
    expect(codeOf(await ctx.graphqlWith(admin, CREATE_KEY, { input: { name: 'owner by admin', role: 'OWNER' } }))).toBe('FORBIDDEN');
    expect(await ctx.db.prisma.apiKey.count()).toBe(before);

    const owner = await insertKey('OWNER');
    expect(codeOf(await ctx.graphqlWith(admin, REVOKE_KEY, { id: owner.id }))).toBe('FORBIDDEN');
    expect((await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: owner.id } })).revokedAt).toBeNull();

    const peer = await createKey({ name: 'admin by admin', role: 'ADMIN' }, admin);
    expect(peer.apiKey).toMatchObject({ role: 'ADMIN', createdBy: null });
    const revoked = await ctx.graphqlWith<{ revokeApiKey: ListedKey }>(admin, REVOKE_KEY, { id: peer.apiKey.id });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data?.revokeApiKey.revokedAt).toEqual(expect.any(String));
  });

  it.each(['VIEWER', 'OPERATOR', 'EDITOR'] as const)('gives a %s key FORBIDDEN on all three fields', async (role) => {
    const { key } = await insertKey(role);
    const target = await insertKey('VIEWER');
    const headers = bearer(key);
    const before = await ctx.db.prisma.apiKey.count();
    expect(codeOf(await ctx.graphqlWith(headers, LIST_KEYS))).toBe('FORBIDDEN');
    expect(codeOf(await ctx.graphqlWith(headers, CREATE_KEY, { input: { name: 'denied', role: 'VIEWER' } }))).toBe('FORBIDDEN');
    expect(codeOf(await ctx.graphqlWith(headers, REVOKE_KEY, { id: target.id }))).toBe('FORBIDDEN');
    expect(await ctx.db.prisma.apiKey.count()).toBe(before);
    expect((await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: target.id } })).revokedAt).toBeNull();
  });
});
