/**
 * The secrets vault's API against real Postgres: a value is sealed at once and no query returns it or its
 * ciphertext; replacing keeps the name; deleting removes it; names, values and hosts are checked with their
 * paths; EDITOR lists, ADMIN sets; another workspace sees none of it; every set and delete is audited
 * without the value; without TRELLIS_SECRET_KEY nothing is stored.
 */
import { randomBytes } from 'node:crypto';
import { openSecret, readVaultMasterKeys, unwrapDataKey } from '@trellis/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestContext, createWorkspaceWithKey, startTestApi } from './support/api-test-context.js';

const SET = `mutation ($input: SetSecretInput!) { setSecret(input: $input) { name allowedHosts createdAt updatedAt lastUsedAt } }`;
const LIST = `{ secrets { name allowedHosts createdAt updatedAt lastUsedAt } }`;
const DELETE = `mutation ($name: String!) { deleteSecret(name: $name) }`;
const VALUE = `sk_live_${randomBytes(12).toString('hex')}`;

let ctx: ApiTestContext;
const secretKey = randomBytes(32).toString('hex');
beforeAll(async () => {
  ctx = await startTestApi({ secretKey });
});
afterAll(async () => {
  await ctx?.close();
});

describe('secrets vault', () => {
  it('seals the value, lists the secret without it, replaces and deletes it, and audits each change', async () => {
    const { setSecret } = await ctx.graphqlOk(SET, { input: { name: 'STRIPE_KEY', value: VALUE, allowedHosts: ['API.stripe.com', 'api.stripe.com'] } });
    expect(setSecret).toMatchObject({ name: 'STRIPE_KEY', allowedHosts: ['api.stripe.com'], lastUsedAt: null });
    const [row] = await ctx.db.prisma.secret.findMany();
    expect(JSON.stringify(row)).not.toContain(VALUE);
    // The stored value opens with the workspace's data key, for this workspace and name only.
    const keys = readVaultMasterKeys({ TRELLIS_SECRET_KEY: secretKey });
    const vault = await ctx.db.prisma.workspaceVaultKey.findUniqueOrThrow({ where: { workspaceId: row.workspaceId } });
    expect(openSecret(unwrapDataKey(keys, row.workspaceId, vault.wrappedKey), row.workspaceId, 'STRIPE_KEY', row.sealedValue)).toBe(VALUE);

    const replaced = (await ctx.graphqlOk(SET, { input: { name: 'STRIPE_KEY', value: `${VALUE}-2` } })).setSecret;
    expect(replaced.allowedHosts).toEqual([]);
    expect(Date.parse(replaced.updatedAt)).toBeGreaterThanOrEqual(Date.parse(setSecret.updatedAt));
    expect(await ctx.db.prisma.secret.count()).toBe(1);
    const listed = await ctx.graphqlOk(LIST);
    expect(listed.secrets.map((secret: { name: string }) => secret.name)).toEqual(['STRIPE_KEY']);
    expect(JSON.stringify(listed)).not.toContain(VALUE);

    expect((await ctx.graphqlOk(DELETE, { name: 'STRIPE_KEY' })).deleteSecret).toBe('STRIPE_KEY');
    expect((await ctx.graphql(DELETE, { name: 'STRIPE_KEY' })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const audit = await ctx.db.prisma.auditEvent.findMany({ where: { targetType: 'secret' }, orderBy: { occurredAt: 'asc' } });
    expect(audit.map((event) => event.action)).toEqual(['secret.set', 'secret.set', 'secret.delete']);
    expect(JSON.stringify(audit)).not.toContain(VALUE);
  });

  it('has no field that could carry a value or ciphertext', async () => {
    const { data } = await ctx.graphql<{ __type: { fields: { name: string }[] } }>(`{ __type(name: "Secret") { fields { name } } }`);
    expect(data!.__type.fields.map((field) => field.name).sort()).toEqual(['agents', 'allowedHosts', 'createdAt', 'lastUsedAt', 'name', 'updatedAt']);
  });

  it('refuses bad names, values and hosts with their paths, storing nothing', async () => {
    const result = await ctx.graphql(SET, { input: { name: 'lower-case', value: '', allowedHosts: ['ok.example.com', 'not a host'] } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.issues!.map((issue) => issue.path)).toEqual(['input.name', 'input.value', 'input.allowedHosts[1]']);
    expect(await ctx.db.prisma.secret.count({ where: { name: 'lower-case' } })).toBe(0);
  });

  it("keeps each workspace's secrets to itself, lets an EDITOR list but not set, and needs TRELLIS_SECRET_KEY", async () => {
    await ctx.graphqlOk(SET, { input: { name: 'SHARED_NAME', value: 'first workspace' } });
    const other = await createWorkspaceWithKey(ctx.db, 'vault-elsewhere');
    const as = (query: string, variables?: Record<string, unknown>) => ctx.graphqlWith({ authorization: other.authorization }, query, variables);
    expect((await as(LIST)).data).toEqual({ secrets: [] });
    expect((await as(DELETE, { name: 'SHARED_NAME' })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await as(SET, { input: { name: 'SHARED_NAME', value: 'second workspace' } });
    expect((await ctx.graphqlOk(LIST)).secrets).toHaveLength(1);
    expect(await ctx.db.prisma.secret.count({ where: { name: 'SHARED_NAME' } })).toBe(2);

    const editor = await ctx.graphqlOk(`mutation { createApiKey(input: { name: "vault editor", role: EDITOR }) { key } }`);
    const asEditor = (query: string, variables?: Record<string, unknown>) => ctx.graphqlWith({ authorization: `Bearer ${editor.createApiKey.key}` }, query, variables);
    expect((await asEditor(LIST)).data?.secrets).toHaveLength(1);
    expect((await asEditor(SET, { input: { name: 'X', value: 'y' } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const keyless = await startTestApi({ db: ctx.db, temporalAddress: ctx.temporalAddress, secretKey: null });
    try {
      const refused = await keyless.graphql(SET, { input: { name: 'NO_KEY', value: 'v' } });
      expect(refused.errors?.[0]?.message).toMatch(/TRELLIS_SECRET_KEY/);
      expect(await ctx.db.prisma.secret.count({ where: { name: 'NO_KEY' } })).toBe(0);
    } finally {
      await keyless.close();
    }
  });
});
