// The identity-and-tenancy migration on databases that already hold data: every existing row moves
// into one workspace named "default", and an empty database gets no workspace at all.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, readMigrationFiles } from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

const TENANCY = '20261203000000_identity_and_tenancy';
/** Tables whose rows belong to a workspace. */
const TENANT_TABLES = ['agents', 'agent_versions', 'schedules', 'runs', 'node_runs', 'approvals', 'run_events'];

const AGENT = '00000000-0000-4000-8000-00000000a001';
const VERSION = '00000000-0000-4000-8000-00000000b001';
const SCHEDULE = '00000000-0000-4000-8000-00000000c001';
const RUN = '00000000-0000-4000-8000-00000000d001';
const CHILD_RUN = '00000000-0000-4000-8000-00000000d002';
const APPROVAL = '00000000-0000-4000-8000-00000000e001';

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

/** The shipped migrations from the tenancy migration on, in order: what a pre-tenancy database still lacks. */
async function migrationsFromTenancy(): Promise<string[]> {
  return (await readMigrationFiles(DEFAULT_MIGRATIONS_DIR)).map((file) => file.name).filter((name) => name >= TENANCY);
}

/** A copy of the shipped migrations that stops just before the tenancy migration. */
async function migrationsBeforeTenancy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trellis-before-tenancy-'));
  for (const file of await readMigrationFiles(DEFAULT_MIGRATIONS_DIR)) {
    if (file.name >= TENANCY) continue;
    await cp(join(DEFAULT_MIGRATIONS_DIR, file.name), join(dir, file.name), { recursive: true });
  }
  return dir;
}

/** Fills the pre-tenancy schema with one of everything, the way the API and worker wrote it. */
async function insertPreTenancyRows(client: pg.Client): Promise<void> {
  await client.query(`INSERT INTO agents (id, name, updated_at) VALUES ($1, 'legacy', now())`, [AGENT]);
  await client.query(`INSERT INTO agent_versions (id, agent_id, version, dag) VALUES ($1, $2, 1, '{"nodes":[],"edges":[]}')`, [VERSION, AGENT]);
  await client.query(`UPDATE agents SET live_version_id = $1 WHERE id = $2`, [VERSION, AGENT]);
  await client.query(`INSERT INTO schedules (id, agent_id, cron, input, updated_at) VALUES ($1, $2, '0 * * * *', '{}', now())`, [SCHEDULE, AGENT]);
  await client.query(
    `INSERT INTO runs (id, agent_id, agent_version_id, input, trigger, schedule_id, updated_at) VALUES ($1, $2, $3, '{}', 'SCHEDULE', $4, now())`,
    [RUN, AGENT, VERSION, SCHEDULE],
  );
  await client.query(
    `INSERT INTO runs (id, agent_id, agent_version_id, input, trigger, parent_run_id, updated_at) VALUES ($1, $2, $3, '{}', 'SUBFLOW', $4, now())`,
    [CHILD_RUN, AGENT, VERSION, RUN],
  );
  await client.query(`INSERT INTO node_runs (run_id, node_id, type, child_run_id) VALUES ($1, 'sub', 'subflow', $2)`, [RUN, CHILD_RUN]);
  await client.query(`INSERT INTO approvals (id, run_id, node_id, message) VALUES ($1, $2, 'gate', 'Ship it?')`, [APPROVAL, RUN]);
  await client.query(
    `INSERT INTO run_events (run_id, sequence, type) VALUES ($1, 1, 'run.started'), ($1, 2, 'approval.requested')`,
    [RUN],
  );
  await client.query(`INSERT INTO payloads (id, data, size_bytes) VALUES ('abc', '\\x00', 1)`);
}

describe('identity and tenancy migration', () => {
  let migrationsDir: string;

  beforeAll(async () => {
    migrationsDir = await migrationsBeforeTenancy();
  });
  afterAll(async () => {
    await rm(migrationsDir, { recursive: true, force: true });
  });

  describe('on a database with data', () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase({ migrate: false });
      await applyMigrations(database.url, { migrationsDir });
      await withClient(database.url, insertPreTenancyRows);
      expect((await applyMigrations(database.url)).applied).toEqual(await migrationsFromTenancy());
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('creates exactly one workspace, named "default"', async () => {
      const workspaces = await database.prisma.workspace.findMany();
      expect(workspaces).toEqual([expect.objectContaining({ name: 'default' })]);
    });

    it('moves every existing row of every tenant table into it', async () => {
      const [workspace] = await database.prisma.workspace.findMany();
      const counts = await withClient(database.url, async (client) => {
        const result: Record<string, { total: number; inDefault: number }> = {};
        for (const table of TENANT_TABLES) {
          const { rows } = await client.query<{ total: number; in_default: number }>(
            `SELECT count(*)::int AS total, count(*) FILTER (WHERE workspace_id = $1)::int AS in_default FROM ${table}`,
            [workspace.id],
          );
          result[table] = { total: rows[0].total, inDefault: rows[0].in_default };
        }
        return result;
      });
      expect(counts).toEqual({
        agents: { total: 1, inDefault: 1 },
        agent_versions: { total: 1, inDefault: 1 },
        schedules: { total: 1, inDefault: 1 },
        runs: { total: 2, inDefault: 2 },
        node_runs: { total: 1, inDefault: 1 },
        approvals: { total: 1, inDefault: 1 },
        run_events: { total: 2, inDefault: 2 },
      });
    });

    it('leaves the rows themselves, and the payloads, as they were', async () => {
      const agent = await database.prisma.agent.findUniqueOrThrow({ where: { id: AGENT }, include: { versions: true } });
      expect(agent).toMatchObject({ name: 'legacy', liveVersionId: VERSION });
      expect(agent.versions[0].dag).toEqual({ nodes: [], edges: [] });
      const child = await database.prisma.run.findUniqueOrThrow({ where: { id: CHILD_RUN } });
      expect(child).toMatchObject({ parentRunId: RUN, trigger: 'SUBFLOW' });
      expect(await database.prisma.payload.count()).toBe(1);
    });

    it('leaves no column default behind: later rows take their workspace from their parent', async () => {
      const columns = await withClient(database.url, async (client) =>
        (await client.query<{ table: string; default: string | null }>(
          `SELECT table_name AS table, column_default AS default FROM information_schema.columns
           WHERE table_schema = current_schema() AND column_name = 'workspace_id' AND table_name = ANY($1)`,
          [TENANT_TABLES],
        )).rows,
      );
      expect(columns).toHaveLength(TENANT_TABLES.length);
      expect(columns.every((column) => column.default === null)).toBe(true);
      // And the agent-less fallback picks the only workspace rather than creating another one.
      const agent = await database.prisma.agent.create({ data: { name: 'after-migration' } });
      expect(agent.workspaceId).toBe((await database.prisma.workspace.findFirstOrThrow()).id);
      expect(await database.prisma.workspace.count()).toBe(1);
    });

    it('makes names unique per workspace: the old global name index is gone', async () => {
      const indexes = await withClient(database.url, async (client) =>
        (await client.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'agents' ORDER BY 1`)).rows.map((row) => row.name),
      );
      expect(indexes).toContain('agents_workspace_id_name_key');
      expect(indexes).not.toContain('agents_name_key');
    });
  });

  it('creates no workspace on an empty database', async () => {
    const database = await createTestDatabase({ migrate: false });
    try {
      await applyMigrations(database.url, { migrationsDir });
      expect((await applyMigrations(database.url)).applied).toEqual(await migrationsFromTenancy());
      expect(await database.prisma.workspace.count()).toBe(0);
    } finally {
      await database.drop();
    }
  });
});
