// Constraints of the identity tables: case-insensitive email uniqueness, unique token hashes, and
// what happens to memberships, sessions, keys and invitations when a user or workspace is deleted.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceRole } from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);
const HOUR = 3_600_000;

describe('identity tables', () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('keep the email as typed but refuse another user whose email differs only in case', async () => {
    const user = await database.prisma.user.create({ data: { email: 'Ada.Lovelace@Example.com', passwordHash: 'x' } });
    expect(user.email).toBe('Ada.Lovelace@Example.com');
    const duplicate = await caught(database.prisma.user.create({ data: { email: 'ada.lovelace@example.COM', passwordHash: 'y' } }));
    expect(duplicate).toMatchObject({ code: 'P2002' });
    const viaSql = await caught(client.query(`INSERT INTO users (email, password_hash, updated_at) VALUES ('ADA.LOVELACE@EXAMPLE.COM', 'z', now())`));
    expect(viaSql).toMatchObject({ code: '23505', constraint: 'users_email_lower_key' });
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM users WHERE lower(email) = lower($1)`, ['ADA.lovelace@example.com']);
    expect(rows).toEqual([{ id: user.id }]);
  });

  it('refuse a token hash used twice', async () => {
    const user = await database.prisma.user.create({ data: { email: 'tokens@example.com', passwordHash: 'x' } });
    const expiresAt = new Date(Date.now() + HOUR);
    await database.prisma.session.create({ data: { tokenHash: 'a'.repeat(64), userId: user.id, expiresAt } });
    expect(await caught(database.prisma.session.create({ data: { tokenHash: 'a'.repeat(64), userId: user.id, expiresAt } }))).toMatchObject({ code: 'P2002' });
    await database.prisma.setupToken.create({ data: { tokenHash: 'b'.repeat(64) } });
    expect(await caught(database.prisma.setupToken.create({ data: { tokenHash: 'b'.repeat(64) } }))).toMatchObject({ code: 'P2002' });
  });

  it('delete a user\'s memberships and sessions with the user, and keep the keys and invitations they created', async () => {
    const workspace = await database.prisma.workspace.create({ data: { name: 'acme' } });
    const owner = await database.prisma.user.create({ data: { email: 'owner@example.com', passwordHash: 'x' } });
    const guest = await database.prisma.user.create({ data: { email: 'guest@example.com', passwordHash: 'x' } });
    await database.prisma.membership.create({ data: { workspaceId: workspace.id, userId: owner.id, role: WorkspaceRole.OWNER } });
    const duplicateMembership = caught(database.prisma.membership.create({ data: { workspaceId: workspace.id, userId: owner.id, role: WorkspaceRole.VIEWER } }));
    expect(await duplicateMembership).toMatchObject({ code: 'P2002' });
    await database.prisma.session.create({ data: { tokenHash: 'c'.repeat(64), userId: owner.id, expiresAt: new Date(Date.now() + HOUR), ip: '203.0.113.7' } });
    const key = await database.prisma.apiKey.create({
      data: { workspaceId: workspace.id, name: 'ci', prefix: 'trl_ab12', tokenHash: 'd'.repeat(64), role: WorkspaceRole.OPERATOR, createdByUserId: owner.id },
    });
    const invitation = await database.prisma.invitation.create({
      data: {
        workspaceId: workspace.id, email: 'guest@example.com', role: WorkspaceRole.EDITOR, tokenHash: 'e'.repeat(64),
        invitedByUserId: owner.id, expiresAt: new Date(Date.now() + HOUR), acceptedAt: new Date(), acceptedByUserId: guest.id,
      },
    });

    await database.prisma.user.delete({ where: { id: owner.id } });
    expect(await database.prisma.membership.count({ where: { userId: owner.id } })).toBe(0);
    expect(await database.prisma.session.count({ where: { userId: owner.id } })).toBe(0);
    expect(await database.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ createdByUserId: null, revokedAt: null });
    expect(await database.prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).toMatchObject({ invitedByUserId: null, acceptedByUserId: guest.id });

    await database.prisma.workspace.delete({ where: { id: workspace.id } });
    expect(await database.prisma.apiKey.count({ where: { id: key.id } })).toBe(0);
    expect(await database.prisma.invitation.count({ where: { id: invitation.id } })).toBe(0);
  });

  it('count rate-limit hits per bucket and window with one upsert shared by every process', async () => {
    const windowStart = new Date('2026-01-01T00:00:00.000Z');
    const pool = new pg.Pool({ connectionString: database.url, max: 3 });
    const hit = (): Promise<pg.QueryResult<{ hits: number }>> => pool.query<{ hits: number }>(
      `INSERT INTO rate_limit_windows (bucket, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1 RETURNING hits`,
      ['login:email:ada@example.com', windowStart],
    );
    const results = await Promise.all([hit(), hit(), hit()]).finally(() => pool.end());
    expect(results.map((result) => result.rows[0].hits).sort()).toEqual([1, 2, 3]);
  });
});
