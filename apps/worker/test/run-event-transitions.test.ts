// Which run events a syncRun batch produces: deriveSyncEvents on its own (transitions, reused and
// skipped nodes, a re-applied batch), then syncRun against a real database, where a batch delivered
// twice must record its events once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeState, RunSyncRequest } from '@trellis/dag-interpreter';
import { createActivities } from '@trellis/worker';
import { deriveSyncEvents, type StoredRunState } from '../dist/activities/run-event-transitions.js';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

const RUN_ID = '00000000-0000-4000-8000-000000000001';
const STARTED_AT = '2026-11-22T10:00:00.000Z';

function node(nodeId: string, status: NodeState['status'], fields: Partial<NodeState> = {}): NodeState {
  return { nodeId, type: 'http', status, attempts: status === 'PENDING' ? 0 : 1, ...fields };
}

function stored(fields: Partial<StoredRunState> = {}): StoredRunState {
  return { runStatus: 'RUNNING', started: true, nodeStatuses: new Map(), newApprovalIds: new Set(), ...fields };
}

/** The stored state after `request` was applied on top of `before`, as syncRun would read it next time. */
function after(before: StoredRunState, request: RunSyncRequest): StoredRunState {
  const nodeStatuses = new Map(before.nodeStatuses);
  for (const state of request.nodes) nodeStatuses.set(state.nodeId, state.status);
  return {
    runStatus: request.run?.status ?? before.runStatus,
    started: before.started || request.start !== undefined,
    nodeStatuses,
    newApprovalIds: new Set(),
  };
}

describe('deriveSyncEvents', () => {
  it('emits run.started, node transitions, new approvals and the terminal event, in that order', () => {
    const request: RunSyncRequest = {
      runId: RUN_ID,
      start: { agentVersionId: randomUUID(), input: {}, startedAt: STARTED_AT },
      nodes: [node('fetch', 'SUCCEEDED', { attempts: 2 }), node('review', 'WAITING', { type: 'approval' }), node('later', 'PENDING')],
      approvals: [{ approvalId: 'ap-1', runId: RUN_ID, nodeId: 'review', message: 'Go?', dueAt: '2026-11-23T00:00:00.000Z' }],
      run: { status: 'FAILED', error: { message: 'boom', nodeId: 'fetch' } },
    };
    const events = deriveSyncEvents(stored({ started: false, newApprovalIds: new Set(['ap-1']) }), request);
    expect(events).toEqual([
      { type: 'run.started', data: { status: 'RUNNING' } },
      { type: 'node.started', nodeId: 'fetch', data: { nodeType: 'http' } },
      { type: 'node.succeeded', nodeId: 'fetch', data: { status: 'SUCCEEDED', attempts: 2 } },
      { type: 'node.started', nodeId: 'review', data: { nodeType: 'approval' } },
      { type: 'approval.requested', nodeId: 'review', data: { approvalId: 'ap-1', dueAt: '2026-11-23T00:00:00.000Z' } },
      { type: 'run.failed', data: { status: 'FAILED', error: 'boom', failedNodeId: 'fetch' } },
    ]);
  });

  it('emits nothing when the same batch is applied again', () => {
    const request: RunSyncRequest = {
      runId: RUN_ID,
      start: { agentVersionId: randomUUID(), input: {}, startedAt: STARTED_AT },
      nodes: [node('a', 'SUCCEEDED'), node('b', 'FAILED', { error: { message: 'no', type: 'HttpStatusError' } }), node('c', 'SKIPPED')],
      approvals: [{ approvalId: 'ap-1', runId: RUN_ID, nodeId: 'a', message: 'Go?' }],
      run: { status: 'SUCCEEDED', output: 1 },
    };
    const before = stored({ started: false, newApprovalIds: new Set(['ap-1']) });
    expect(deriveSyncEvents(before, request).length).toBe(8);
    // The retried delivery finds the approval already stored, so syncRun reports it as not new.
    expect(deriveSyncEvents(after(before, request), request)).toEqual([]);
  });

  it('emits only the transition that happened since the last batch', () => {
    const before = stored({ nodeStatuses: new Map([['a', 'RUNNING'], ['b', 'WAITING']]) });
    const request: RunSyncRequest = { runId: RUN_ID, nodes: [node('a', 'FAILED', { error: { message: 'timeout' } }), node('b', 'RUNNING')] };
    expect(deriveSyncEvents(before, request)).toEqual([
      { type: 'node.failed', nodeId: 'a', data: { status: 'FAILED', attempts: 1, error: 'timeout' } },
    ]);
  });

  it('marks a reused node succeeded without starting it', () => {
    const request: RunSyncRequest = { runId: RUN_ID, nodes: [node('a', 'SUCCEEDED', { reused: true, attempts: 0 })] };
    expect(deriveSyncEvents(stored(), request)).toEqual([
      { type: 'node.succeeded', nodeId: 'a', data: { status: 'SUCCEEDED', attempts: 0, reused: true } },
    ]);
  });

  it('marks a skipped node skipped without starting it', () => {
    const request: RunSyncRequest = { runId: RUN_ID, nodes: [node('a', 'SKIPPED', { attempts: 0 })] };
    expect(deriveSyncEvents(stored(), request)).toEqual([{ type: 'node.skipped', nodeId: 'a', data: { status: 'SKIPPED' } }]);
  });

  it('emits the terminal event only when the run reaches it, and none for WAITING or RUNNING', () => {
    const cancel: RunSyncRequest = { runId: RUN_ID, nodes: [], run: { status: 'CANCELLED' } };
    expect(deriveSyncEvents(stored(), cancel)).toEqual([{ type: 'run.cancelled', data: { status: 'CANCELLED' } }]);
    expect(deriveSyncEvents(stored({ runStatus: 'CANCELLED' }), cancel)).toEqual([]);
    expect(deriveSyncEvents(stored(), { runId: RUN_ID, nodes: [], run: { status: 'WAITING' } })).toEqual([]);
    expect(deriveSyncEvents(stored({ runStatus: 'WAITING' }), { runId: RUN_ID, nodes: [], run: { status: 'RUNNING' } })).toEqual([]);
  });

  it('does not repeat run.started when a later batch carries the start again', () => {
    const request: RunSyncRequest = { runId: RUN_ID, start: { agentVersionId: randomUUID(), input: {}, startedAt: STARTED_AT }, nodes: [] };
    expect(deriveSyncEvents(stored({ started: true }), request)).toEqual([]);
  });
});

describe('syncRun records run events', () => {
  let database: TestDatabase;
  let activities: ReturnType<typeof createActivities>;
  let agentVersionId: string;

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

  async function events(runId: string) {
    const rows = await database.prisma.runEvent.findMany({ where: { runId }, orderBy: { sequence: 'asc' } });
    return rows.map(({ sequence, type, nodeId }) => [sequence, type, nodeId]);
  }

  it('records each batch once, even when Temporal delivers it twice', async () => {
    const runId = randomUUID();
    const approvalId = randomUUID();
    const batches: RunSyncRequest[] = [
      { runId, start: { agentVersionId, input: {}, startedAt: STARTED_AT }, nodes: [node('a', 'PENDING'), node('b', 'PENDING')] },
      {
        runId,
        nodes: [node('a', 'WAITING', { type: 'approval' })],
        approvals: [{ approvalId, runId, nodeId: 'a', message: 'Go?' }],
        run: { status: 'WAITING' },
      },
      { runId, nodes: [node('a', 'SUCCEEDED', { type: 'approval' }), node('b', 'SKIPPED', { attempts: 0 })], run: { status: 'RUNNING' } },
      { runId, nodes: [], run: { status: 'SUCCEEDED', output: { ok: true }, finishedAt: '2026-11-22T10:01:00.000Z' } },
    ];
    for (const batch of batches) {
      await activities.syncRun(batch);
      await activities.syncRun(batch);
    }
    expect(await events(runId)).toEqual([
      [1, 'run.started', null],
      [2, 'node.started', 'a'],
      [3, 'approval.requested', 'a'],
      [4, 'node.succeeded', 'a'],
      [5, 'node.skipped', 'b'],
      [6, 'run.succeeded', null],
    ]);
    const run = await database.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.eventSequence).toBe(6);
  });

  it('records approval.decided once when an approval times out', async () => {
    const runId = randomUUID();
    const approvalId = randomUUID();
    await activities.syncRun({
      runId,
      start: { agentVersionId, input: {}, startedAt: STARTED_AT },
      nodes: [node('a', 'WAITING', { type: 'approval' })],
      approvals: [{ approvalId, runId, nodeId: 'a', message: 'Go?' }],
    });
    expect((await activities.expireApproval({ approvalId })).status).toBe('TIMED_OUT');
    expect((await activities.expireApproval({ approvalId })).status).toBe('TIMED_OUT');
    const decided = await database.prisma.runEvent.findMany({ where: { runId, type: 'approval.decided' } });
    expect(decided.map(({ sequence, nodeId, data }) => ({ sequence, nodeId, data }))).toEqual([
      { sequence: 4, nodeId: 'a', data: { approvalId, status: 'TIMED_OUT' } },
    ]);
  });
});
