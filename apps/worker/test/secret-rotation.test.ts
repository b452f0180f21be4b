/**
 * Master-key rotation with `npm run secrets:rewrap`, on real Postgres: secrets sealed under the old
 * `TRELLIS_SECRET_KEY` need it until the command re-wraps their workspaces' data keys (and re-seals the webhook
 * secrets); after it, every secret resolves, and every webhook secret opens, with the new key alone.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDataKey, open, readVaultMasterKeys, seal, sealSecret, webhookSecretContext, webhookSecretKeys } from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';
import { createSecretVault } from '@trellis/worker';

const run = promisify(execFile);
const OLD_KEY = randomBytes(32).toString('hex');
const NEW_KEY = randomBytes(32).toString('hex');
const repoRoot = new URL('../../../', import.meta.url).pathname;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** A workspace with the secrets `values`, sealed under `masterKey`, and an agent with a webhook secret. */
async function seedWorkspace(name: string, values: Record<string, string>, masterKey: string) {
  const { prisma } = database;
  const workspace = await prisma.workspace.create({ data: { name } });
  const { dataKey, wrapped } = newDataKey(readVaultMasterKeys({ TRELLIS_SECRET_KEY: masterKey }), workspace.id);
  await prisma.workspaceVaultKey.create({ data: { workspaceId: workspace.id, wrappedKey: wrapped } });
  for (const [secretName, value] of Object.entries(values)) {
    await prisma.secret.create({ data: { workspaceId: workspace.id, name: secretName, sealedValue: sealSecret(dataKey, workspace.id, secretName, value) } });
  }
  const agent = await prisma.agent.create({ data: { workspaceId: workspace.id, name: `${name}-agent` } });
  const webhookSecret = seal(webhookSecretKeys(masterKey)[0], `whsec_${name}`, webhookSecretContext(agent.id));
  await prisma.agent.update({ where: { id: agent.id }, data: { webhookSecret } });
  return { workspaceId: workspace.id, agentId: agent.id };
}

const resolveWith = (masterKey: string, workspaceId: string, names: string[]) =>
  createSecretVault(database.prisma, readVaultMasterKeys({ TRELLIS_SECRET_KEY: masterKey })).resolve({ workspaceId, runId: randomBytes(8).toString('hex'), nodeId: 'n', names });

describe('npm run secrets:rewrap', () => {
  it('re-seals every data key and webhook secret under the new key, after which the old key is not needed', async () => {
    const first = await seedWorkspace('rotation-one', { API_TOKEN: 'token-one', DB_PASSWORD: 'pw-one' }, OLD_KEY);
    const second = await seedWorkspace('rotation-two', { API_TOKEN: 'token-two' }, OLD_KEY);
    await expect(resolveWith(NEW_KEY, first.workspaceId, ['API_TOKEN'])).rejects.toThrow();

    const env = { ...process.env, DATABASE_URL: database.url, TRELLIS_SECRET_KEY: NEW_KEY, TRELLIS_PREVIOUS_SECRET_KEYS: OLD_KEY };
    const { stdout } = await run('npm', ['run', '--silent', 'secrets:rewrap'], { cwd: repoRoot, env });
    expect(stdout).toContain('2 workspace data keys and 2 webhook secrets re-sealed');
    // Nothing left to do the second time.
    const again = await run('npm', ['run', '--silent', 'secrets:rewrap'], { cwd: repoRoot, env });
    expect(again.stdout).toContain('0 workspace data keys and 0 webhook secrets re-sealed');

    expect((await resolveWith(NEW_KEY, first.workspaceId, ['API_TOKEN', 'DB_PASSWORD'])).map((secret) => secret.value)).toEqual(['token-one', 'pw-one']);
    expect((await resolveWith(NEW_KEY, second.workspaceId, ['API_TOKEN']))[0].value).toBe('token-two');
    await expect(resolveWith(OLD_KEY, first.workspaceId, ['API_TOKEN'])).rejects.toThrow();
    for (const { agentId } of [first, second]) {
      const { webhookSecret } = await database.prisma.agent.findUniqueOrThrow({ where: { id: agentId } });
      expect(open(webhookSecretKeys(NEW_KEY), webhookSecret!, webhookSecretContext(agentId)).toString()).toMatch(/^whsec_rotation-/);
      expect(() => open(webhookSecretKeys(OLD_KEY), webhookSecret!, webhookSecretContext(agentId))).toThrow();
    }
  });

  it('refuses without the new key, and names the problem when a row is under a key that is not listed', async () => {
    const missing = await run('npm', ['run', '--silent', 'secrets:rewrap'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: database.url, TRELLIS_SECRET_KEY: '' } }).catch((error: { code: number; stderr: string }) => error);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('TRELLIS_SECRET_KEY is not set') });
    const unlisted = await run('npm', ['run', '--silent', 'secrets:rewrap'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: database.url, TRELLIS_SECRET_KEY: randomBytes(32).toString('hex') },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(unlisted).toMatchObject({ code: 1, stderr: expect.stringContaining('rewrap failed') });
  });
});
