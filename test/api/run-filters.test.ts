/**
 * `runs(filter:)` against real Postgres: each filter field narrows the list to exactly the runs that match
 * it (computed here from the rows the test stored), fields combine with AND, the input search is
 * case-insensitive and treats LIKE wildcards as text, stays within the caller's workspace, and bad
 * filters fail with the field's path.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestContext, createWorkspaceWithKey, setDag, startTestApi } from './support/api-test-context.js';

const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id liveVersion { id } } }`;
const PUBLISH = `mutation ($agentId: ID!, $dag: JSON!) { publishAgentVersion(agentId: $agentId, dag: $dag) { liveVersion { id } } }`;
const SCHEDULE = `mutation ($input: CreateScheduleInput!) { createSchedule(input: $input) { id } }`;
const RUNS = `query ($filter: RunFilterInput, $first: Int, $after: String) {
  runs(filter: $filter, first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } }
}`;

interface StoredRun {
  id: string;
  agentId: string;
  version: number;
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  trigger: 'API' | 'SCHEDULE' | 'WEBHOOK';
  scheduleId: string | null;
  startedAt: Date;
  input: { customer: string; note: string };
}

let ctx: ApiTestContext;
const stored: StoredRun[] = [];
let agentA: string;
let agentB: string;
let scheduleId: string;
const HOUR = 3_600_000;
const base = Date.UTC(2026, 10, 1);

beforeAll(async () => {
  ctx = await startTestApi();
  const a = (await ctx.graphqlOk(CREATE, { input: { name: 'filter-a', dag: setDag() } })).createAgent;
  const a2 = (await ctx.graphqlOk(PUBLISH, { agentId: a.id, dag: setDag({ ok: 2 }) })).publishAgentVersion;
  const b = (await ctx.graphqlOk(CREATE, { input: { name: 'filter-b', dag: setDag() } })).createAgent;
  agentA = a.id;
  agentB = b.id;
  scheduleId = (await ctx.graphqlOk(SCHEDULE, { input: { agentId: agentA, cron: '0 0 1 1 *', paused: true } })).createSchedule.id;
  const statuses = ['SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
  const triggers = ['API', 'SCHEDULE', 'WEBHOOK'] as const;
  for (let index = 0; index < 24; index += 1) {
    const onA = index % 3 !== 2;
    const version = onA && index % 2 === 0 ? 2 : 1;
    const trigger = triggers[index % 3];
    const run: StoredRun = {
      id: randomUUID(),
      agentId: onA ? agentA : agentB,
      version,
      status: statuses[Math.floor(index / 3) % 3],
      trigger,
      scheduleId: trigger === 'SCHEDULE' && onA ? scheduleId : null,
      startedAt: new Date(base + index * HOUR),
      input: { customer: index % 4 === 0 ? `ACME-${index}` : `globex-${index}`, note: index === 5 ? '100% off_sale' : 'regular' },
    };
    stored.push(run);
    await ctx.db.prisma.run.create({
      data: {
        id: run.id,
        agentId: run.agentId,
        agentVersionId: onA ? (version === 2 ? a2.liveVersion.id : a.liveVersion.id) : b.liveVersion.id,
        status: run.status,
        trigger: run.trigger,
        scheduleId: run.scheduleId,
        startedAt: run.startedAt,
        finishedAt: new Date(run.startedAt.getTime() + 1_000),
        input: run.input,
      },
    });
  }
  // Another workspace's run matches every search below, and must never be listed.
  const other = await createWorkspaceWithKey(ctx.db, 'filters-elsewhere');
  const created = await ctx.graphqlWith<{ createAgent: { id: string; liveVersion: { id: string } } }>(
    { authorization: other.authorization },
    CREATE,
    { input: { name: 'filter-a', dag: setDag() } },
  );
  const otherAgent = created.data!.createAgent;
  await ctx.db.prisma.run.create({
    data: { id: randomUUID(), agentId: otherAgent.id, agentVersionId: otherAgent.liveVersion.id, status: 'SUCCEEDED', input: { customer: 'ACME-0', note: '100% off_sale' }, startedAt: new Date(base) },
  });
});
afterAll(async () => {
  await ctx?.close();
});

/** Every id the filter lists, page by page (newest first). */
async function listed(filter: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { runs }: { runs: { totalCount: number; nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await ctx.graphqlOk(
      RUNS,
      { filter, first: 7, after },
    );
    ids.push(...runs.nodes.map((node) => node.id));
    if (!runs.pageInfo.hasNextPage) {
      expect(runs.totalCount).toBe(ids.length);
      return ids;
    }
    after = runs.pageInfo.endCursor;
  }
}

function expected(match: (run: StoredRun) => boolean): string[] {
  return stored.filter(match).sort((x, y) => y.startedAt.getTime() - x.startedAt.getTime()).map((run) => run.id);
}

describe('runs(filter:)', () => {
  it('narrows by agent, version, statuses, triggers, schedule and time range, each exactly', async () => {
    expect(await listed({ agentId: agentA })).toEqual(expected((run) => run.agentId === agentA));
    expect(await listed({ agentId: agentA, version: 2 })).toEqual(expected((run) => run.agentId === agentA && run.version === 2));
    expect(await listed({ statuses: ['FAILED', 'CANCELLED'] })).toEqual(expected((run) => run.status !== 'SUCCEEDED'));
    expect(await listed({ triggers: ['WEBHOOK'] })).toEqual(expected((run) => run.trigger === 'WEBHOOK'));
    expect(await listed({ scheduleId })).toEqual(expected((run) => run.scheduleId === scheduleId));
    const after = new Date(base + 5 * HOUR);
    const before = new Date(base + 15 * HOUR);
    expect(await listed({ startedAfter: after.toISOString(), startedBefore: before.toISOString() })).toEqual(
      expected((run) => run.startedAt >= after && run.startedAt < before),
    );
  });

  it('combines fields with AND', async () => {
    const filter = { agentId: agentA, statuses: ['SUCCEEDED'], triggers: ['API', 'SCHEDULE'], startedBefore: new Date(base + 20 * HOUR).toISOString() };
    const ids = await listed(filter);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected((run) => run.agentId === agentA && run.status === 'SUCCEEDED' && run.trigger !== 'WEBHOOK' && run.startedAt < new Date(base + 20 * HOUR)));
  });

  it('searches the input as text, in any letter case, with % and _ taken literally, within the workspace', async () => {
    expect(await listed({ inputContains: 'acme' })).toEqual(expected((run) => String(run.input.customer).startsWith('ACME')));
    expect(await listed({ inputContains: '100% off_' })).toEqual(expected((run) => run.input.note === '100% off_sale'));
    expect(await listed({ inputContains: '%' })).toHaveLength(1);
    expect(await listed({ inputContains: 'nothing like this' })).toEqual([]);
  });

  it("counts an agent's runs of the last hours by outcome, and names its latest run", async () => {
    const agent = (await ctx.graphqlOk(CREATE, { input: { name: 'stats', dag: setDag() } })).createAgent;
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR);
    const rows = [
      { status: 'SUCCEEDED', at: hoursAgo(1) },
      { status: 'SUCCEEDED', at: hoursAgo(2) },
      { status: 'FAILED', at: hoursAgo(3) },
      { status: 'CANCELLED', at: hoursAgo(4) },
      { status: 'SUCCEEDED', at: hoursAgo(30) },
      { status: 'FAILED', at: hoursAgo(0.5) },
    ] as const;
    const ids: string[] = [];
    for (const row of rows) {
      const id = randomUUID();
      ids.push(id);
      await ctx.db.prisma.run.create({ data: { id, agentId: agent.id, agentVersionId: agent.liveVersion.id, status: row.status, input: {}, startedAt: row.at, finishedAt: row.at } });
    }
    const stats = `query ($id: ID!) { agent(id: $id) { lastRun { id } day: runStats { runs succeeded failed active successRate } week: runStats(hours: 48) { runs succeeded successRate } } }`;
    const { agent: read } = await ctx.graphqlOk(stats, { id: agent.id });
    expect(read.lastRun.id).toBe(ids[5]);
    expect(read.day).toEqual({ runs: 5, succeeded: 2, failed: 2, active: 0, successRate: 2 / 5 });
    expect(read.week).toEqual({ runs: 6, succeeded: 3, successRate: 3 / 6 });
    const fresh = (await ctx.graphqlOk(CREATE, { input: { name: 'stats-empty', dag: setDag() } })).createAgent;
    expect((await ctx.graphqlOk(stats, { id: fresh.id })).agent).toEqual({ lastRun: null, day: { runs: 0, succeeded: 0, failed: 0, active: 0, successRate: null }, week: { runs: 0, succeeded: 0, successRate: null } });
  });

  it('refuses a version without an agent, a blank search and malformed ids, with the path', async () => {
    for (const [filter, path] of [
      [{ version: 1 }, 'filter.version'],
      [{ inputContains: '  ' }, 'filter.inputContains'],
      [{ inputContains: 'x'.repeat(201) }, 'filter.inputContains'],
      [{ agentId: 'nope' }, 'filter.agentId'],
      [{ scheduleId: 'nope' }, 'filter.scheduleId'],
    ] as const) {
      const result = await ctx.graphql(RUNS, { filter });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.issues!.map((issue) => issue.path)).toEqual([path]);
    }
  });
});
