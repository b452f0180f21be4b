// Workspace consistency enforced by the database: rows below an agent take their workspace from
// their parent when the writer leaves it out, refuse a different one, and never move; agents written
// without a workspace fall back to the only one (or a new "default" one).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresErrorDetails, Prisma } from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

/** Creates an agent with one live version in `workspaceId`, through raw SQL naming the workspace. */
async function insertAgent(client: pg.Client, workspaceId: string, name: string): Promise<{ agentId: string; versionId: string }> {
  const agentId = randomUUID();
  const versionId = randomUUID();
  await client.query(`INSERT INTO agents (id, workspace_id, name, updated_at) VALUES ($1, $2, $3, now())`, [agentId, workspaceId, name]);
  await client.query(`INSERT INTO agent_versions (id, agent_id, version, dag) VALUES ($1, $2, 1, '{}')`, [versionId, agentId]);
  return { agentId, versionId };
}

async function insertWorkspace(client: pg.Client, name: string): Promise<string> {
  const { rows } = await client.query<{ id: string }>(`INSERT INTO workspaces (name, updated_at) VALUES ($1, now()) RETURNING id`, [name]);
  return rows[0].id;
}

async function insertRun(client: pg.Client, agent: { agentId: string; versionId: string }, extra: Record<string, string | null> = {}): Promise<string> {
  const id = randomUUID();
  const columns = ['id', 'agent_id', 'agent_version_id', ...Object.keys(extra)];
  const values = [id, agent.agentId, agent.versionId, ...Object.values(extra)];
  await client.query(
    `INSERT INTO runs (${columns.join(', ')}, input, updated_at) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')}, '{}', now())`,
    values,
  );
  return id;
}

async function workspaceOf(client: pg.Client, table: string, id: string | number): Promise<string> {
  const { rows } = await client.query<{ workspace_id: string }>(`SELECT workspace_id FROM ${table} WHERE id = $1`, [id]);
  return rows[0].workspace_id;
}

const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

describe('workspace consistency triggers', () => {
  let database: TestDatabase;
  let client: pg.Client;
  let red: string;
  let blue: string;
  let redAgent: { agentId: string; versionId: string };
  let blueAgent: { agentId: string; versionId: string };
  let redRun: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    red = await insertWorkspace(client, 'red');
    blue = await insertWorkspace(client, 'blue');
    redAgent = await insertAgent(client, red, 'writer');
    blueAgent = await insertAgent(client, blue, 'writer');
    redRun = await insertRun(client, redAgent);
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('gives a run inserted without workspace_id its agent\'s workspace', async () => {
    expect(await workspaceOf(client, 'runs', redRun)).toBe(red);
    expect(await workspaceOf(client, 'agent_versions', redAgent.versionId)).toBe(red);
    expect(await workspaceOf(client, 'agent_versions', blueAgent.versionId)).toBe(blue);
  });

  it('gives schedules, nodes, approvals and run events their parent\'s workspace', async () => {
    const { rows: [schedule] } = await client.query<{ id: string; workspace_id: string }>(
      `INSERT INTO schedules (agent_id, interval, input, updated_at) VALUES ($1, '1h', '{}', now()) RETURNING id, workspace_id`,
      [blueAgent.agentId],
    );
    expect(schedule.workspace_id).toBe(blue);
    const { rows: [node] } = await client.query<{ workspace_id: string }>(
      `INSERT INTO node_runs (run_id, node_id, type) VALUES ($1, 'n', 'noop') RETURNING workspace_id`,
      [redRun],
    );
    expect(node.workspace_id).toBe(red);
    const { rows: [approval] } = await client.query<{ workspace_id: string }>(
      `INSERT INTO approvals (id, run_id, node_id, message) VALUES ($1, $2, 'gate', 'ok?') RETURNING workspace_id`,
      [randomUUID(), redRun],
    );
    expect(approval.workspace_id).toBe(red);
    const { rows: [event] } = await client.query<{ workspace_id: string }>(
      `INSERT INTO run_events (run_id, sequence, type) VALUES ($1, 1, 'run.started') RETURNING workspace_id`,
      [redRun],
    );
    expect(event.workspace_id).toBe(red);
  });

  it('fills the workspace for the Prisma writes of the API and worker, which do not name one', async () => {
    const run = await database.prisma.run.create({
      data: { id: randomUUID(), agentId: blueAgent.agentId, agentVersionId: blueAgent.versionId, input: {} },
    });
    expect(run.workspaceId).toBe(blue);
    const node = await database.prisma.nodeRun.upsert({
      where: { runId_nodeId: { runId: run.id, nodeId: 'a' } },
      create: { runId: run.id, nodeId: 'a', type: 'noop' },
      update: { status: 'SUCCEEDED' },
    });
    expect(node.workspaceId).toBe(blue);
    const again = await database.prisma.nodeRun.upsert({
      where: { runId_nodeId: { runId: run.id, nodeId: 'a' } },
      create: { runId: run.id, nodeId: 'a', type: 'noop' },
      update: { status: 'SUCCEEDED' },
    });
    expect(again).toMatchObject({ id: node.id, status: 'SUCCEEDED', workspaceId: blue });
    const [approval] = await database.prisma.approval.createManyAndReturn({
      data: [{ id: randomUUID(), runId: run.id, nodeId: 'gate', message: 'ok?' }],
      skipDuplicates: true,
    });
    expect(approval.workspaceId).toBe(blue);
  });

  it('accepts a workspace_id that matches the parent\'s', async () => {
    const run = await insertRun(client, redAgent, { workspace_id: red });
    expect(await workspaceOf(client, 'runs', run)).toBe(red);
  });

  it('refuses a run whose workspace_id differs from its agent\'s (check_violation)', async () => {
    const error = await caught(insertRun(client, redAgent, { workspace_id: blue }));
    expect(error).toMatchObject({ code: '23514', column: 'workspace_id', table: 'runs' });
    expect((error as Error).message).toContain(`cannot refer through agent_id to ${redAgent.agentId}`);
  });

  it('refuses children whose workspace_id differs from their run\'s', async () => {
    for (const sql of [
      `INSERT INTO node_runs (run_id, node_id, type, workspace_id) VALUES ($1, 'x', 'noop', $2)`,
      `INSERT INTO run_events (run_id, sequence, type, workspace_id) VALUES ($1, 99, 'run.started', $2)`,
      `INSERT INTO approvals (id, run_id, node_id, message, workspace_id) VALUES (gen_random_uuid(), $1, 'x', 'm', $2)`,
    ]) {
      expect(await caught(client.query(sql, [redRun, blue]))).toMatchObject({ code: '23514' });
    }
    const schedule = caught(client.query(
      `INSERT INTO schedules (agent_id, interval, input, updated_at, workspace_id) VALUES ($1, '1h', '{}', now(), $2)`,
      [redAgent.agentId, blue],
    ));
    expect(await schedule).toMatchObject({ code: '23514' });
  });

  it('refuses a run that refers to a version, parent run or retried run of another workspace', async () => {
    const blueRun = await insertRun(client, blueAgent);
    const cases: Record<string, string>[] = [
      { agent_version_id: blueAgent.versionId },
      { parent_run_id: blueRun },
      { retry_of_run_id: blueRun },
    ];
    for (const extra of cases) {
      const { agent_version_id: versionId, ...rest } = extra;
      const error = await caught(insertRun(client, { agentId: redAgent.agentId, versionId: versionId ?? redAgent.versionId }, rest));
      expect(error).toMatchObject({ code: '23514' });
    }
    // The same references within one workspace are fine.
    const child = await insertRun(client, redAgent, { parent_run_id: redRun, retry_of_run_id: redRun });
    expect(await workspaceOf(client, 'runs', child)).toBe(red);
  });

  it('refuses an UPDATE that changes workspace_id (restrict_violation), on every tenant table', async () => {
    const error = await caught(client.query(`UPDATE runs SET workspace_id = $1 WHERE id = $2`, [blue, redRun]));
    expect(error).toMatchObject({ code: '23001', column: 'workspace_id' });
    expect((error as Error).message).toBe(`rows of runs cannot move to another workspace (row ${redRun})`);
    const green = await insertWorkspace(client, 'green');
    for (const table of ['agents', 'agent_versions', 'schedules', 'node_runs', 'approvals', 'run_events']) {
      const result = caught(client.query(`UPDATE ${table} SET workspace_id = $1`, [green]));
      expect(await result, table).toMatchObject({ code: '23001' });
    }
    expect(await workspaceOf(client, 'runs', redRun)).toBe(red);
    expect(await workspaceOf(client, 'agents', redAgent.agentId)).toBe(red);
  });

  it('refuses moving a run to an agent of another workspace', async () => {
    const error = await caught(client.query(`UPDATE runs SET agent_id = $1 WHERE id = $2`, [blueAgent.agentId, redRun]));
    expect(error).toMatchObject({ code: '23514' });
  });

  it('still lets ordinary updates through', async () => {
    await client.query(`UPDATE runs SET status = 'SUCCEEDED', event_sequence = event_sequence + 1 WHERE id = $1`, [redRun]);
    await database.prisma.run.update({ where: { id: redRun }, data: { status: 'FAILED', finishedAt: new Date() } });
    expect((await database.prisma.run.findUniqueOrThrow({ where: { id: redRun } })).status).toBe('FAILED');
  });

  it('reports a missing parent as its foreign key would, also through Prisma', async () => {
    const missing = randomUUID();
    const error = await caught(client.query(
      `INSERT INTO approvals (id, run_id, node_id, message) VALUES (gen_random_uuid(), $1, 'x', 'm')`,
      [missing],
    ));
    expect(error).toMatchObject({ code: '23503', constraint: 'approvals_run_id_fkey', detail: `Key (run_id)=(${missing}) is not present in table "runs".` });
    const viaPrisma = await caught(database.prisma.nodeRun.create({ data: { runId: missing, nodeId: 'x', type: 'noop' } }));
    expect(viaPrisma).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect(viaPrisma).toMatchObject({ code: 'P2003' });
    expect(postgresErrorDetails(viaPrisma)?.code).toBe('23503');
  });

  it('deletes everything of a workspace with it, and nothing of the others', async () => {
    const doomed = await insertWorkspace(client, 'doomed');
    const agent = await insertAgent(client, doomed, 'writer');
    const run = await insertRun(client, agent);
    await client.query(`INSERT INTO run_events (run_id, sequence, type) VALUES ($1, 1, 'run.started')`, [run]);
    await client.query(`DELETE FROM workspaces WHERE id = $1`, [doomed]);
    const { rows } = await client.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM agents WHERE workspace_id = $1) + (SELECT count(*) FROM runs WHERE workspace_id = $1)
            + (SELECT count(*) FROM run_events WHERE workspace_id = $1) AS n`,
      [doomed],
    );
    expect(Number(rows[0].n)).toBe(0);
    expect(await workspaceOf(client, 'runs', redRun)).toBe(red);
  });
});

describe('agent names', () => {
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

  it('are unique within a workspace and may repeat across workspaces', async () => {
    const [first, second] = await Promise.all([insertWorkspace(client, 'first'), insertWorkspace(client, 'second')]);
    await database.prisma.agent.create({ data: { workspaceId: first, name: 'triage' } });
    await database.prisma.agent.create({ data: { workspaceId: second, name: 'triage' } });
    const duplicate = await caught(database.prisma.agent.create({ data: { workspaceId: first, name: 'triage' } }));
    expect(duplicate).toMatchObject({ code: 'P2002' });
    expect(await database.prisma.agent.count({ where: { name: 'triage' } })).toBe(2);
  });
});

describe('agents inserted without a workspace (transition)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('create a "default" workspace when there is none, once even when inserted concurrently', async () => {
    expect(await database.prisma.workspace.count()).toBe(0);
    const agents = await Promise.all(
      Array.from({ length: 4 }, (_, i) => database.prisma.agent.create({ data: { name: `first-${i}` } })),
    );
    const workspaces = await database.prisma.workspace.findMany();
    expect(workspaces).toEqual([expect.objectContaining({ name: 'default' })]);
    expect(new Set(agents.map((agent) => agent.workspaceId))).toEqual(new Set([workspaces[0].id]));
  });

  it('go to the only workspace when there is exactly one, whatever its name', async () => {
    await database.prisma.workspace.updateMany({ data: { name: 'renamed' } });
    const agent = await database.prisma.agent.create({ data: { name: 'second' } });
    expect(agent.workspaceId).toBe((await database.prisma.workspace.findFirstOrThrow()).id);
    expect(await database.prisma.workspace.count()).toBe(1);
  });

  it('are refused (not_null_violation) when several workspaces exist; naming one still works', async () => {
    const other = await database.prisma.workspace.create({ data: { name: 'other' } });
    const error = await caught(database.prisma.agent.create({ data: { name: 'ambiguous' } }));
    expect(postgresErrorDetails(error)).toEqual({
      code: '23502',
      message: expect.stringContaining('agent "ambiguous" needs a workspace_id: there are 2 workspaces'),
    });
    const named = await database.prisma.agent.create({ data: { name: 'ambiguous', workspace: { connect: { id: other.id } } } });
    expect(named.workspaceId).toBe(other.id);
  });
});
