/**
 * The API's run reconciler end to end: workflows closed behind the worker's back (terminated through the
 * Temporal client) get their run recorded as the worker would have, healthy runs (continued as new or not)
 * are left alone, cancelling works for runs whose workflow id is not their run id, and an unreachable
 * Temporal costs a warning, not the API. The real worker runs the DAGs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createApi } from '@trellis/api';
import { DAG_WORKFLOW_TYPE, type DagWorkflowInput } from '@trellis/dag-interpreter';
import { eventually, freePort } from '@trellis/test-support';
import { createTestDatabase } from '@trellis/test-support/database';
import { checkedDag, createHarness, type Harness } from '@trellis/test-support/worker';
import { type ApiTestContext, type ResponseData, startTestApi, TEST_API_KEY, TEST_AUTHORIZATION } from './support/api-test-context.js';
import { subscribe } from './support/subscriptions.js';

const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const START = `mutation ($agentId: ID!) { startRun(agentId: $agentId) { id } }`;
const RUN = `query ($id: ID!) { run(id: $id) {
  id status output error { message } finishedAt nodes { nodeId status error { message } finishedAt }
} }`;
const APPROVALS = `query { approvals(status: PENDING) { id run { id } } }`;
const DECIDE = `mutation ($id: ID!) { decideApproval(id: $id, approve: true) { id } }`;
const RUN_EVENTS = `subscription ($runId: ID!) { runEvents(runId: $runId) { sequence type nodeId data } }`;

/** Waits an hour on its first node: the run stays RUNNING until something ends its workflow. */
const LONG_DAG = {
  nodes: [
    { id: 'wait', type: 'delay', config: { duration: '1h' } },
    { id: 'after', type: 'set', config: { value: 'never' } },
  ],
  edges: [{ from: 'wait', to: 'after' }],
};

/** Short enough that each test sees several passes; the grace still keeps fresh rows out of the first one. */
const INTERVAL_MS = 500;
const GRACE_MS = 1_000;

let harness: Harness;
let ctx: ApiTestContext;
let longAgentId: string;
beforeAll(async () => {
  harness = await createHarness();
  ctx = await startTestApi({
    db: harness.db,
    temporalAddress: harness.temporalAddress,
    taskQueue: harness.taskQueue,
    runReconcileIntervalMs: INTERVAL_MS,
    runReconcileGraceMs: GRACE_MS,
  });
  longAgentId = await createAgent('long', LONG_DAG);
});
afterAll(async () => {
  if (harness) {
    const schedules = await harness.db.prisma.schedule.findMany({ select: { id: true } });
    await Promise.allSettled(schedules.map((row) => harness.client.schedule.getHandle(`trellis-schedule-${row.id}`).delete()));
    // Scheduled runs have their own workflow ids, which the shared close() does not know.
    const runs = await harness.db.prisma.run.findMany({ select: { id: true, workflowId: true } });
    await Promise.allSettled(runs.map((run) => harness.client.workflow.getHandle(run.workflowId ?? run.id).terminate('test finished')));
  }
  await ctx?.close();
  await harness?.close();
});

async function createAgent(name: string, dag: unknown): Promise<string> {
  const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: `${name}-${randomUUID()}`, dag } });
  return createAgent.id;
}

/** Starts a run of `agentId` and waits until its first node is in flight (RUNNING, or WAITING on an approval). */
async function startInFlight(agentId: string): Promise<string> {
  const { startRun } = await ctx.graphqlOk(START, { agentId });
  await eventually(async () => {
    const node = await harness.db.prisma.nodeRun.findFirst({ where: { runId: startRun.id, status: { in: ['RUNNING', 'WAITING'] } } });
    return node !== null;
  });
  return startRun.id;
}

async function runView(id: string): Promise<ResponseData> {
  return (await ctx.graphqlOk(RUN, { id })).run;
}

async function eventTypes(runId: string): Promise<string[]> {
  const rows = await harness.db.prisma.runEvent.findMany({ where: { runId }, orderBy: { sequence: 'asc' } });
  return rows.map((row) => row.type);
}

/**
 * Terminates a fresh run of the long agent and waits until the reconciler has failed it: proof that a pass
 * ran, after this call started, over every run not updated since.
 */
async function passedOver(): Promise<void> {
  const canary = await startInFlight(longAgentId);
  await harness.client.workflow.getHandle(canary).terminate('canary');
  await eventually(async () => (await harness.db.prisma.run.findUniqueOrThrow({ where: { id: canary } })).status === 'FAILED');
}

describe('run reconciler', () => {
  it('fails a run whose workflow was terminated, with the reason, its node, one run.failed and a completed event stream', async () => {
    const runId = await startInFlight(longAgentId);
    const stream = subscribe<{ runEvents: { sequence: number; type: string; nodeId: string | null; data: ResponseData } }>(
      ctx.api.graphqlUrl,
      RUN_EVENTS,
      { runId },
    );
    try {
      await eventually(async () => stream.received.length > 0);
      await harness.client.workflow.getHandle(runId).terminate('operator pulled the plug');

      const run = await eventually(async () => {
        const current = await runView(runId);
        return current.status === 'FAILED' && current;
      });
      const reason = 'The workflow was terminated: operator pulled the plug';
      expect(run.error).toEqual({ message: reason });
      expect(run.finishedAt).not.toBeNull();
      expect(run.nodes.map((node: ResponseData) => [node.nodeId, node.status, node.error?.message ?? null])).toEqual([
        ['wait', 'FAILED', reason],
        ['after', 'PENDING', null],
      ]);
      expect(run.nodes[0].finishedAt).not.toBeNull();

      expect(await stream.ended).toEqual({ kind: 'complete' });
      const streamed = stream.received.map((item) => item.data.runEvents);
      expect(streamed.slice(-2)).toEqual([
        { sequence: streamed.length - 1, type: 'node.failed', nodeId: 'wait', data: { status: 'FAILED', attempts: 0, error: reason } },
        { sequence: streamed.length, type: 'run.failed', nodeId: null, data: { status: 'FAILED', error: reason } },
      ]);
      expect(streamed.map((event) => event.type)).toEqual(await eventTypes(runId));

      // Later passes leave the finished run alone: still one terminal event, the row untouched.
      const stored = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
      await passedOver();
      expect((await eventTypes(runId)).filter((type) => type === 'run.failed')).toHaveLength(1);
      expect(await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).toEqual(stored);
    } finally {
      await stream.close();
    }
  });

  it('closes the pending approval of a terminated run: out of the inbox, decisions refused', async () => {
    const agentId = await createAgent('approval', {
      nodes: [
        { id: 'review', type: 'approval', config: { message: 'Ship it?' } },
        { id: 'ship', type: 'set', config: { value: 'shipped' } },
      ],
      edges: [{ from: 'review', to: 'ship' }],
    });
    const runId = await startInFlight(agentId);
    const approval = await eventually(async () => {
      const { approvals } = await ctx.graphqlOk(APPROVALS);
      return approvals.find((candidate: ResponseData) => candidate.run.id === runId);
    });
    expect((await runView(runId)).status).toBe('WAITING');

    await harness.client.workflow.getHandle(runId).terminate('superseded by a newer run');
    const run = await eventually(async () => {
      const current = await runView(runId);
      return current.status === 'FAILED' && current;
    });
    expect(run.error).toEqual({ message: 'The workflow was terminated: superseded by a newer run' });
    expect(run.nodes.map((node: ResponseData) => [node.nodeId, node.status])).toEqual([
      ['review', 'FAILED'],
      ['ship', 'PENDING'],
    ]);

    const { approvals } = await ctx.graphqlOk(APPROVALS);
    expect(approvals.map((candidate: ResponseData) => candidate.id)).not.toContain(approval.id);
    const decision = await ctx.graphql(DECIDE, { id: approval.id });
    expect(decision.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(decision.errors?.[0]?.message).toBe(`Approval ${approval.id} can no longer be decided: the run failed`);
    expect((await harness.db.prisma.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe('PENDING');
    expect((await eventTypes(runId)).filter((type) => type.startsWith('run.'))).toEqual(['run.started', 'run.failed']);
  });

  it('leaves a healthy long run untouched across passes', async () => {
    const runId = await startInFlight(longAgentId);
    const before = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { nodes: true } });
    const eventsBefore = await eventTypes(runId);
    await passedOver();
    await passedOver();
    const after = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { nodes: true } });
    expect(after).toEqual(before);
    expect(after.status).toBe('RUNNING');
    expect(await eventTypes(runId)).toEqual(eventsBefore);
    expect((await harness.client.workflow.getHandle(runId).describe()).status.name).toBe('RUNNING');
  });

  it('leaves a run that continued as new alone, and still sees the end of its latest execution', async () => {
    const steps = 5;
    const dag = checkedDag({
      nodes: [
        ...Array.from({ length: steps }, (_, i) => ({ id: `s${i}`, type: 'delay', config: { duration: '10ms' } })),
        { id: 'wait', type: 'delay', config: { duration: '1h' } },
      ],
      edges: [...Array.from({ length: steps - 1 }, (_, i) => ({ from: `s${i}`, to: `s${i + 1}` })), { from: `s${steps - 1}`, to: 'wait' }],
    });
    const runId = randomUUID();
    // A tiny history budget: the run continues as new between nodes, long before it reaches `wait`.
    const input: DagWorkflowInput = { runId, agentVersionId: await harness.createVersion(dag), dag, input: {}, historyEventLimit: 40 };
    const started = await harness.client.workflow.start(DAG_WORKFLOW_TYPE, { workflowId: runId, taskQueue: harness.taskQueue, args: [input] });
    await eventually(async () => (await harness.db.prisma.nodeRun.findFirst({ where: { runId, nodeId: 'wait', status: 'RUNNING' } })) !== null);
    const firstExecution = await harness.client.workflow.getHandle(runId, started.firstExecutionRunId).describe();
    expect(firstExecution.status.name).toBe('CONTINUED_AS_NEW');
    expect((await harness.client.workflow.getHandle(runId).describe()).status.name).toBe('RUNNING');

    const before = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { nodes: true } });
    await passedOver();
    expect(await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { nodes: true } })).toEqual(before);

    await harness.client.workflow.getHandle(runId).terminate('end of the chain');
    const run = await eventually(async () => {
      const current = await runView(runId);
      return current.status === 'FAILED' && current;
    });
    expect(run.error).toEqual({ message: 'The workflow was terminated: end of the chain' });
    expect(run.nodes.filter((node: ResponseData) => node.status !== 'SUCCEEDED').map((node: ResponseData) => [node.nodeId, node.status])).toEqual([
      ['wait', 'FAILED'],
    ]);
  });

  it('fails a stale run whose workflow Temporal does not know, but not one that may still be starting', async () => {
    const versionId = await harness.createVersion(LONG_DAG);
    const version = await harness.db.prisma.agentVersion.findUniqueOrThrow({ where: { id: versionId } });
    const insert = (id: string) =>
      harness.db.prisma.run.create({ data: { id, agentId: version.agentId, agentVersionId: versionId, input: {}, status: 'RUNNING' } });
    const [gone, starting] = [randomUUID(), randomUUID()];
    await insert(gone);
    await insert(starting);
    // `gone` was last updated an hour ago; `starting` just now, as a row whose workflow start is in flight.
    await harness.db.prisma.$executeRaw`UPDATE runs SET updated_at = now() - interval '1 hour' WHERE id = ${gone}::uuid`;

    const failed = await eventually(async () => {
      const row = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: gone } });
      return row.status === 'FAILED' && row;
    });
    expect(failed.error).toEqual({ message: 'The workflow no longer exists in Temporal' });
    expect(await eventTypes(gone)).toEqual(['run.failed']);

    await passedOver();
    expect((await harness.db.prisma.run.findUniqueOrThrow({ where: { id: starting } })).status).toBe('RUNNING');
    expect(await eventTypes(starting)).toEqual([]);
  });

  it('cancels a scheduled run, whose workflow id is not its run id', async () => {
    const { createSchedule } = await ctx.graphqlOk(`mutation ($input: CreateScheduleInput!) { createSchedule(input: $input) { id } }`, {
      input: { agentId: longAgentId, interval: '1s' },
    });
    const scheduled = await eventually(async () => {
      const row = await harness.db.prisma.run.findFirst({ where: { scheduleId: createSchedule.id }, orderBy: { startedAt: 'asc' } });
      return row?.status === 'RUNNING' && row;
    });
    // Later fires are skipped while this run is open (overlap SKIP); deleting the schedule stops them for good.
    await ctx.graphqlOk(`mutation ($id: ID!) { deleteSchedule(id: $id) }`, { id: createSchedule.id });
    expect(scheduled.workflowId).toBeTruthy();
    expect(scheduled.workflowId).not.toBe(scheduled.id);

    const { cancelRun } = await ctx.graphqlOk(`mutation ($id: ID!) { cancelRun(id: $id) { id } }`, { id: scheduled.id });
    expect(cancelRun.id).toBe(scheduled.id);
    const run = await eventually(async () => {
      const current = await runView(scheduled.id);
      return current.status === 'CANCELLED' && current;
    });
    expect(run.finishedAt).not.toBeNull();
    // The worker records CANCELLED in an activity just before the workflow closes, so the close can trail the row.
    await eventually(
      async () => (await harness.client.workflow.getHandle(scheduled.workflowId as string).describe()).status.name === 'CANCELLED',
    );
    // Recorded by the worker itself: one terminal event.
    expect((await eventTypes(scheduled.id)).filter((type) => type.startsWith('run.'))).toEqual(['run.started', 'run.cancelled']);
  });
});

describe('run reconciler without Temporal', () => {
  it('logs a warning, retries at the next pass, keeps the run and the API alive, and shuts down cleanly mid-call', async () => {
    const db = await createTestDatabase();
    const agent = await db.prisma.agent.create({ data: { name: `offline-${randomUUID()}` } });
    const version = await db.prisma.agentVersion.create({ data: { agentId: agent.id, version: 1, dag: LONG_DAG } });
    const run = await db.prisma.run.create({
      data: { id: randomUUID(), agentId: agent.id, agentVersionId: version.id, input: {}, status: 'RUNNING' },
    });
    await db.prisma.$executeRaw`UPDATE runs SET updated_at = now() - interval '1 hour' WHERE id = ${run.id}::uuid`;
    const warnings: { msg: string; time: number }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line) as { msg: string; time: number }) });
    const api = await createApi({
      databaseUrl: db.url,
      temporalAddress: `127.0.0.1:${await freePort()}`,
      bootstrapApiKey: TEST_API_KEY,
      // No Temporal to send payloads to.
      encryptPayloads: false,
      logger,
      runReconcileIntervalMs: INTERVAL_MS,
      runReconcileGraceMs: 0,
    });
    let closed = false;
    try {
      // The first pass's call waits for its 10 s deadline (and a retry backoff), then the pass gives up.
      const warning = await eventually(async () => warnings.find((line) => /Temporal is unreachable/.test(line.msg)), 30_000);
      expect((await db.prisma.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('RUNNING');
      const response = await fetch(api.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: TEST_AUTHORIZATION },
        body: JSON.stringify({ query: `query ($id: ID!) { run(id: $id) { status } }`, variables: { id: run.id } }),
      });
      expect(await response.json()).toEqual({ data: { run: { status: 'RUNNING' } } });

      // The next pass reads its page again (the API's query on `updated_at`, finished after the warning) and
      // then waits on Temporal. Closing now waits for that call instead of closing the connection under its
      // retries (which would throw from a timer: an unhandled error here).
      await eventually(async () => {
        const [{ count }] = await db.prisma.$queryRaw<{ count: bigint }[]>`
          SELECT count(*) AS count FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'idle' AND query LIKE '%"updated_at" <%'
            AND query_start > to_timestamp(${warning.time / 1000})`;
        return count > 0n;
      });
      const started = Date.now();
      await api.close();
      closed = true;
      // At most the pass's call: its 10 s deadline, overshot by up to one of the client's retry backoffs (6 s).
      expect(Date.now() - started).toBeLessThan(25_000);
      expect((await db.prisma.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('RUNNING');
    } finally {
      if (!closed) await api.close();
      await db.drop();
    }
  });
});
