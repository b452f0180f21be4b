// syncRun against a real database: the run row's start facts (trigger, parent, retried run), the node
// columns for reuse, compensation and child runs, and several approvals per node with details.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeState, RunSyncRequest } from '@trellis/dag-interpreter';
import { createActivities } from '@trellis/worker';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

let database: TestDatabase;
let activities: ReturnType<typeof createActivities>;
let agentVersionId: string;

const STARTED_AT = '2026-11-22T10:00:00.000Z';

beforeAll(async () => {
  database = await createTestDatabase();
  activities = createActivities({ prisma: database.prisma, env: {} });
  const agent = await database.prisma.agent.create({ data: { name: `agent-${randomUUID()}` } });
  const version = await database.prisma.agentVersion.create({
    data: { agentId: agent.id, version: 1, dag: { nodes: [{ id: 'a', type: 'set', config: { value: 1 } }], edges: [] } },
  });
  agentVersionId = version.id;
});
afterAll(async () => {
  await database?.drop();
});

/** Syncs the first batch of a new run and returns its id. */
async function startRun(start: Partial<NonNullable<RunSyncRequest['start']>> = {}, nodes: NodeState[] = []): Promise<string> {
  const runId = randomUUID();
  await activities.syncRun({ runId, start: { agentVersionId, input: { n: 1 }, startedAt: STARTED_AT, ...start }, nodes });
  return runId;
}

describe('syncRun: the run row', () => {
  it('creates a missing row with trigger API and no links by default', async () => {
    const runId = await startRun();
    const run = await database.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({
      agentVersionId,
      status: 'RUNNING',
      input: { n: 1 },
      trigger: 'API',
      parentRunId: null,
      retryOfRunId: null,
      startedAt: new Date(STARTED_AT),
    });
  });

  it('stores the trigger, the parent run and the retried run', async () => {
    const parentRunId = await startRun();
    const childRunId = await startRun({ trigger: 'SUBFLOW', parentRunId });
    const retryRunId = await startRun({ trigger: 'RETRY', retryOfRunId: parentRunId });

    const child = await database.prisma.run.findUniqueOrThrow({ where: { id: childRunId } });
    expect(child).toMatchObject({ trigger: 'SUBFLOW', parentRunId, retryOfRunId: null });
    const retry = await database.prisma.run.findUniqueOrThrow({ where: { id: retryRunId } });
    expect(retry).toMatchObject({ trigger: 'RETRY', parentRunId: null, retryOfRunId: parentRunId });
    const parent = await database.prisma.run.findUniqueOrThrow({
      where: { id: parentRunId },
      include: { childRuns: true, retries: true },
    });
    expect(parent.childRuns.map((run) => run.id)).toEqual([childRunId]);
    expect(parent.retries.map((run) => run.id)).toEqual([retryRunId]);
  });

  it('leaves an existing row alone when the start is synced again', async () => {
    const runId = await startRun({ trigger: 'SCHEDULE' });
    await activities.syncRun({
      runId,
      start: { agentVersionId, input: { n: 2 }, startedAt: '2026-11-23T00:00:00.000Z', trigger: 'WEBHOOK' },
      nodes: [],
    });
    const run = await database.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ trigger: 'SCHEDULE', input: { n: 1 }, startedAt: new Date(STARTED_AT) });
  });

  it('rejects a parent run that does not exist, storing nothing', async () => {
    const runId = randomUUID();
    await expect(
      activities.syncRun({
        runId,
        start: { agentVersionId, input: {}, startedAt: STARTED_AT, trigger: 'SUBFLOW', parentRunId: randomUUID() },
        nodes: [{ nodeId: 'a', type: 'set', status: 'RUNNING', attempts: 0 }],
      }),
    ).rejects.toThrow();
    expect(await database.prisma.run.count({ where: { id: runId } })).toBe(0);
  });
});

describe('syncRun: node columns', () => {
  it('defaults reused to false and leaves compensation and child run empty', async () => {
    const runId = await startRun({}, [{ nodeId: 'a', type: 'set', status: 'SUCCEEDED', attempts: 1, output: 1 }]);
    const row = await database.prisma.nodeRun.findUniqueOrThrow({ where: { runId_nodeId: { runId, nodeId: 'a' } } });
    expect(row).toMatchObject({ status: 'SUCCEEDED', output: 1, reused: false, compensation: null, childRunId: null });
  });

  it('stores reuse, the child run and the compensation outcome, and keeps them when later states omit them', async () => {
    const childRunId = await startRun();
    const runId = await startRun({}, [
      { nodeId: 'fetched', type: 'http', status: 'SUCCEEDED', attempts: 2, output: { status: 200 }, reused: true },
      { nodeId: 'sub', type: 'subflow', status: 'RUNNING', attempts: 1, childRunId, startedAt: STARTED_AT },
    ]);
    const compensation = {
      status: 'FAILED' as const,
      attempts: 3,
      error: { message: 'refund refused', type: 'HttpStatusError' },
      startedAt: '2026-11-22T10:01:00.000Z',
      finishedAt: '2026-11-22T10:02:00.000Z',
    };
    await activities.syncRun({
      runId,
      nodes: [
        { nodeId: 'sub', type: 'subflow', status: 'SUCCEEDED', attempts: 1, output: { ok: true }, finishedAt: STARTED_AT },
        { nodeId: 'fetched', type: 'http', status: 'SUCCEEDED', attempts: 2, compensation },
      ],
    });

    const rows = await database.prisma.nodeRun.findMany({ where: { runId }, orderBy: { nodeId: 'asc' } });
    expect(rows).toMatchObject([
      { nodeId: 'fetched', reused: true, compensation, childRunId: null, output: { status: 200 } },
      { nodeId: 'sub', status: 'SUCCEEDED', reused: false, childRunId, output: { ok: true } },
    ]);
  });
});

describe('syncRun: approvals', () => {
  it('stores several approvals of one node with their details, idempotently', async () => {
    const runId = await startRun();
    const first = randomUUID();
    const second = randomUUID();
    const request: RunSyncRequest = {
      runId,
      nodes: [{ nodeId: 'agent', type: 'agent', status: 'WAITING', attempts: 1 }],
      approvals: [
        { approvalId: first, runId, nodeId: 'agent', message: 'Refund order 1?', details: { tool: 'refund', arguments: { order: 1 } } },
        { approvalId: second, runId, nodeId: 'agent', message: 'Refund order 2?', dueAt: '2026-11-23T10:00:00.000Z' },
      ],
    };
    await activities.syncRun(request);
    await database.prisma.approval.update({ where: { id: first }, data: { status: 'APPROVED', decidedAt: new Date() } });
    await activities.syncRun(request);

    const approvals = await database.prisma.approval.findMany({ where: { runId }, orderBy: { message: 'asc' } });
    expect(approvals).toMatchObject([
      { id: first, nodeId: 'agent', status: 'APPROVED', details: { tool: 'refund', arguments: { order: 1 } }, dueAt: null },
      { id: second, nodeId: 'agent', status: 'PENDING', details: null, dueAt: new Date('2026-11-23T10:00:00.000Z') },
    ]);
  });
});
