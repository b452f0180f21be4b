// The migration applier against real Postgres databases: what it applies, how it records it in
// Prisma's _prisma_migrations table, and what it refuses.
import { readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  DEFAULT_MIGRATIONS_DIR,
  FailedMigrationsRecordedError,
  MigrationChecksumMismatchError,
  MigrationScriptError,
} from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

const INIT = '20261122000000_init';
/**
 * Every migration shipped in prisma/migrations, in the order they apply. Migrations the tests add are
 * dated 2099 so that they sort after every shipped one.
 */
const SHIPPED = readdirSync(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Runs `fn` with a connected client on `url`. */
async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function tableNames(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const result = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
    );
    return result.rows.map((row) => row.name);
  });
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

async function migrationRows(url: string): Promise<MigrationRow[]> {
  return withClient(url, async (client) => (await client.query<MigrationRow>('SELECT * FROM _prisma_migrations ORDER BY migration_name')).rows);
}

describe('applyMigrations', () => {
  let database: TestDatabase;
  let migrationsDir: string;

  beforeEach(async () => {
    database = await createTestDatabase({ migrate: false });
    // A private copy of the real migrations, so tests can add or edit migrations.
    migrationsDir = await mkdtemp(join(tmpdir(), 'trellis-migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
  });
  afterEach(async () => {
    await database.drop();
    await rm(migrationsDir, { recursive: true, force: true });
  });

  async function addMigration(name: string, sql: string): Promise<void> {
    await mkdir(join(migrationsDir, name));
    await writeFile(join(migrationsDir, name, 'migration.sql'), sql);
  }

  it('applies the init migration to a fresh database and records it as Prisma does', async () => {
    const lines: string[] = [];
    const result = await applyMigrations(database.url, { log: (line) => lines.push(line) });
    expect(result).toEqual({ applied: SHIPPED, alreadyApplied: [] });
    expect(lines).toContain(`applied migration ${INIT}`);

    expect(await tableNames(database.url)).toEqual([
      '_prisma_migrations', 'agent_versions', 'agents', 'api_keys', 'approvals', 'audit_events', 'invitations', 'memberships', 'node_runs',
      'payloads', 'rate_limit_windows', 'run_events', 'runs', 'schedules', 'secrets', 'sessions', 'setup_tokens', 'users', 'workspace_vault_keys',
      'workspaces',
    ]);
    const rows = await migrationRows(database.url);
    expect(rows).toHaveLength(SHIPPED.length);
    const [row] = rows;
    const fileBytes = await readFile(join(DEFAULT_MIGRATIONS_DIR, INIT, 'migration.sql'));
    expect(row.migration_name).toBe(INIT);
    expect(row.checksum).toBe(createHash('sha256').update(fileBytes).digest('hex'));
    expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    expect(row.applied_steps_count).toBe(1);
    expect(row.logs).toBeNull();
    expect(row.rolled_back_at).toBeNull();
  });

  it('creates _prisma_migrations with the DDL Prisma uses', async () => {
    await applyMigrations(database.url);
    const columns = await withClient(database.url, async (client) =>
      (
        await client.query(
          `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
           FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
        )
      ).rows,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', character_maximum_length: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', character_maximum_length: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', character_maximum_length: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', character_maximum_length: null, is_nullable: 'NO', column_default: '0' },
    ]);
  });

  it('applies nothing on a second run', async () => {
    await applyMigrations(database.url, { migrationsDir });
    const before = await migrationRows(database.url);
    const second = await applyMigrations(database.url, { migrationsDir });
    expect(second).toEqual({ applied: [], alreadyApplied: SHIPPED });
    expect(await migrationRows(database.url)).toEqual(before);
  });

  it('applies only the new migrations, in name order', async () => {
    await applyMigrations(database.url, { migrationsDir });
    await addMigration('20991123000000_second', 'CREATE TABLE "second_t" ("id" INTEGER NOT NULL);');
    await addMigration('20991124000000_third', 'ALTER TABLE "second_t" ADD COLUMN "label" TEXT;');
    const result = await applyMigrations(database.url, { migrationsDir });
    expect(result).toEqual({ applied: ['20991123000000_second', '20991124000000_third'], alreadyApplied: SHIPPED });
    expect((await migrationRows(database.url)).map((row) => row.migration_name)).toEqual([
      ...SHIPPED,
      '20991123000000_second',
      '20991124000000_third',
    ]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    await applyMigrations(database.url, { migrationsDir });
    const file = join(migrationsDir, INIT, 'migration.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited after being applied\n`);
    await addMigration('20991123000000_second', 'CREATE TABLE "second_t" ("id" INTEGER NOT NULL);');

    const error = await applyMigrations(database.url, { migrationsDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrationChecksumMismatchError);
    expect((error as Error).message).toContain(`"${INIT}" was modified after it was applied`);
    // Refused before applying anything.
    expect(await tableNames(database.url)).not.toContain('second_t');
  });

  it('accepts a file whose only change is CRLF line endings, as Prisma does', async () => {
    await applyMigrations(database.url, { migrationsDir });
    const file = join(migrationsDir, INIT, 'migration.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replaceAll('\n', '\r\n'));
    expect(await applyMigrations(database.url, { migrationsDir })).toEqual({ applied: [], alreadyApplied: SHIPPED });
  });

  it('rolls back a migration that fails midway: no partial tables, no record, later migrations not applied', async () => {
    await applyMigrations(database.url, { migrationsDir });
    await addMigration(
      '20991123000000_breaks',
      'CREATE TABLE "half_a" ("id" INTEGER);\nCREATE TABLE "half_b" ("id" INTEGER);\nSELECT 1 / 0;\nCREATE TABLE "half_c" ("id" INTEGER);',
    );
    await addMigration('20991124000000_after', 'CREATE TABLE "after_t" ("id" INTEGER);');

    const error = await applyMigrations(database.url, { migrationsDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrationScriptError);
    expect((error as Error).message).toContain('20991123000000_breaks');
    expect((error as Error).message).toContain('division by zero');

    const tables = await tableNames(database.url);
    for (const table of ['half_a', 'half_b', 'half_c', 'after_t']) expect(tables).not.toContain(table);
    expect((await migrationRows(database.url)).map((row) => row.migration_name)).toEqual(SHIPPED);

    // Once fixed, the migration applies normally: nothing was left behind to block it.
    await writeFile(join(migrationsDir, '20991123000000_breaks', 'migration.sql'), 'CREATE TABLE "half_a" ("id" INTEGER);');
    expect(await applyMigrations(database.url, { migrationsDir })).toEqual({
      applied: ['20991123000000_breaks', '20991124000000_after'],
      alreadyApplied: SHIPPED,
    });
  });

  it('refuses to run while a failed migration is recorded and not rolled back (Prisma P3009)', async () => {
    await applyMigrations(database.url, { migrationsDir });
    // What `prisma migrate deploy` leaves behind when a migration fails.
    await withClient(database.url, (client) =>
      client.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at, applied_steps_count)
         VALUES ('00000000-0000-4000-8000-000000000001', $1, '20991123000000_failed', 'boom', now(), 0)`,
        ['0'.repeat(64)],
      ),
    );
    await addMigration('20991123000000_failed', 'CREATE TABLE "failed_t" ("id" INTEGER);');

    const error = await applyMigrations(database.url, { migrationsDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FailedMigrationsRecordedError);
    expect((error as FailedMigrationsRecordedError).migrationNames).toEqual(['20991123000000_failed']);
    expect(await tableNames(database.url)).not.toContain('failed_t');

    // Marked rolled back (`prisma migrate resolve --rolled-back`), it is applied again.
    await withClient(database.url, (client) =>
      client.query(`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '20991123000000_failed'`),
    );
    expect(await applyMigrations(database.url, { migrationsDir })).toEqual({
      applied: ['20991123000000_failed'],
      alreadyApplied: SHIPPED,
    });
  });

  it('applies each migration once when two appliers start concurrently', async () => {
    await addMigration('20991123000000_slow', 'SELECT pg_sleep(0.5);\nCREATE TABLE "slow_t" ("id" INTEGER);');
    const results = await Promise.all([
      applyMigrations(database.url, { migrationsDir }),
      applyMigrations(database.url, { migrationsDir }),
    ]);
    const all = [...SHIPPED, '20991123000000_slow'];
    // One of them did all the work; the other found it done.
    expect(results.map((result) => result.applied).sort((a, b) => b.length - a.length)).toEqual([all, []]);
    expect(results.map((result) => result.alreadyApplied).sort((a, b) => a.length - b.length)).toEqual([[], all]);
    expect((await migrationRows(database.url)).map((row) => row.migration_name)).toEqual(all);
  });
});
