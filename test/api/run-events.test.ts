/**
 * Live run events end to end: the real worker records them, the API streams them over graphql-ws.
 * Replay then live, latency, an API restart resumed with afterSequence, the listener reconnecting,
 * retries, cancellation and the runUpdated feed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRunEvents } from '@trellis/db';
import { eventually, type HttpFixture, startHttpFixture } from '@trellis/test-support';
import { createHarness, type Harness } from '@trellis/test-support/worker';
import { type ApiTestContext, startTestApi, TEST_API_KEY_DECIDER } from './support/api-test-context.js';
import { subscribe, type Subscription } from './support/subscriptions.js';

const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const START = `mutation ($agentId: ID!) { startRun(agentId: $agentId) { id } }`;
const DECIDE = `mutation ($id: ID!) { decideApproval(id: $id, approve: true) { id } }`;
const RUN_EVENTS = `subscription ($runId: ID!, $after: Int) {
  runEvents(runId: $runId, afterSequence: $after) { runId sequence type nodeId data createdAt }
}`;
const RUN_UPDATED = `subscription ($agentId: ID!) { runUpdated(agentId: $agentId) { id status agent { id } } }`;

interface RunEvent {
  runId: string;
  sequence: number;
  type: string;
  nodeId: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
}
type EventsSubscription = Subscription<{ runEvents: RunEvent }>;

let harness: Harness;
let ctx: ApiTestContext;
let http: HttpFixture;
beforeAll(async () => {
  http = await startHttpFixture();
  harness = await createHarness({ egressAllow: [http.url] });
  ctx = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue });
});
afterAll(async () => {
  await ctx?.close();
  await harness?.close();
  await http?.close();
});

async function startRunOf(api: ApiTestContext, dag: unknown): Promise<{ agentId: string; runId: string }> {
  const { createAgent } = await api.graphqlOk(CREATE, { input: { name: `events-${randomUUID()}`, dag } });
  const { startRun } = await api.graphqlOk(START, { agentId: createAgent.id });
  return { agentId: createAgent.id, runId: startRun.id };
}

function runEvents(api: ApiTestContext, runId: string, after?: number): EventsSubscription {
  return subscribe(api.api.graphqlUrl, RUN_EVENTS, { runId, after });
}

function events(subscription: EventsSubscription): RunEvent[] {
  return subscription.received.map((item) => item.data.runEvents);
}

/** Waits until the subscription has received an event matching `predicate`. */
async function receivedEvent(subscription: EventsSubscription, predicate: (event: RunEvent) => boolean): Promise<RunEvent> {
  return eventually(async () => events(subscription).find(predicate));
}

async function storedEvents(runId: string) {
  const rows = await harness.db.prisma.runEvent.findMany({ where: { runId }, orderBy: { sequence: 'asc' } });
  return rows.map((row) => ({ sequence: row.sequence, type: row.type, nodeId: row.nodeId, createdAt: row.createdAt.toISOString() }));
}

function summary(list: RunEvent[]) {
  return list.map(({ sequence, type, nodeId, createdAt }) => ({ sequence, type, nodeId, createdAt }));
}

/** Backend pids of the database's `LISTEN trellis_run_events` connections (one per running API). */
async function listeners(): Promise<number[]> {
  const rows = await harness.db.prisma.$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN trellis_run_events'`;
  return rows.map((row) => row.pid);
}

/** The 1..n sequence numbers. */
function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, index) => index + 1);
}

describe('runEvents subscription', () => {
  it('replays what was missed, streams the rest live within 1 s, and completes after the run', async () => {
    const dag = {
      nodes: [
        { id: 'wait', type: 'delay', config: { duration: '1s' } },
        { id: 'done', type: 'set', config: { value: 1 } },
      ],
      edges: [{ from: 'wait', to: 'done' }],
    };
    const { runId } = await startRunOf(ctx, dag);
    const live = runEvents(ctx, runId);
    expect(await live.ended).toEqual({ kind: 'complete' });
    await live.close();

    const received = events(live);
    expect(received.map(({ type, nodeId }) => [type, nodeId])).toEqual([
      ['run.started', null],
      ['node.started', 'wait'],
      ['node.succeeded', 'wait'],
      ['node.started', 'done'],
      ['node.succeeded', 'done'],
      ['run.succeeded', null],
    ]);
    expect(received.every((event) => event.runId === runId)).toBe(true);
    expect(received[2].data).toEqual({ status: 'SUCCEEDED', attempts: 1 });
    expect(summary(received)).toEqual(await storedEvents(runId));

    // Latency of the events recorded after the feed was surely registered (its first result arrived):
    // from the row's createdAt (database clock) to its arrival here.
    const firstArrival = live.received[0].at;
    const latencies = live.received
      .filter((item) => Date.parse(item.data.runEvents.createdAt) > firstArrival)
      .map((item) => item.at - Date.parse(item.data.runEvents.createdAt));
    console.log(`runEvents latency over ${latencies.length} live events: max ${Math.max(...latencies)} ms, ` +
      `mean ${Math.round(latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length)} ms`);
    expect(latencies.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...latencies)).toBeLessThan(1_000);

    // Replays: all of it, the part after a sequence, and nothing after the terminal event.
    const all = runEvents(ctx, runId, 0);
    const tail = runEvents(ctx, runId, 3);
    const none = runEvents(ctx, runId, 6);
    expect(await Promise.all([all.ended, tail.ended, none.ended])).toEqual(Array(3).fill({ kind: 'complete' }));
    await Promise.all([all.close(), tail.close(), none.close()]);
    expect(events(all)).toEqual(received);
    expect(events(tail)).toEqual(received.slice(3));
    expect(events(none)).toEqual([]);
  });

  it('resumes across an API restart with afterSequence, without gap or duplicate', async () => {
    const dag = {
      nodes: [
        { id: 'wait', type: 'delay', config: { duration: '1s' } },
        { id: 'review', type: 'approval', config: { message: 'Go on?' } },
        { id: 'done', type: 'set', config: { value: 1 } },
      ],
      edges: [
        { from: 'wait', to: 'review' },
        { from: 'review', to: 'done' },
      ],
    };
    const options = { db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue };
    const first = await startTestApi(options);
    await eventually(async () => (await listeners()).length === 2);
    const { runId } = await startRunOf(first, dag);
    const before = runEvents(first, runId);
    await receivedEvent(before, (event) => event.type === 'node.started' && event.nodeId === 'wait');
    await first.close();
    expect((await before.ended).kind).toBe('closed');
    // The stopped API closed its LISTEN connection; the shared one remains.
    await eventually(async () => (await listeners()).length === 1);
    await before.close();
    const seen = events(before);

    const second = await startTestApi(options);
    try {
      const after = runEvents(second, runId, seen[seen.length - 1].sequence);
      const requested = await receivedEvent(after, (event) => event.type === 'approval.requested');
      await second.graphqlOk(DECIDE, { id: requested.data?.approvalId });
      expect(await after.ended).toEqual({ kind: 'complete' });
      await after.close();

      const all = [...seen, ...events(after)];
      const stored = await storedEvents(runId);
      expect(all.map((event) => event.sequence)).toEqual(oneTo(stored.length));
      expect(summary(all)).toEqual(stored);
      expect(all.map(({ type, nodeId }) => [type, nodeId])).toEqual([
        ['run.started', null],
        ['node.started', 'wait'],
        ['node.succeeded', 'wait'],
        ['node.started', 'review'],
        ['approval.requested', 'review'],
        ['approval.decided', 'review'],
        ['node.succeeded', 'review'],
        ['node.started', 'done'],
        ['node.succeeded', 'done'],
        ['run.succeeded', null],
      ]);
      expect(all[5].data).toEqual({ approvalId: requested.data?.approvalId, status: 'APPROVED', decidedBy: TEST_API_KEY_DECIDER });
    } finally {
      await second.close();
    }
  });

  it('keeps streaming after the API loses its LISTEN connection', async () => {
    const dag = { nodes: [{ id: 'review', type: 'approval', config: { message: 'Go on?' } }] };
    const { runId } = await startRunOf(ctx, dag);
    const subscription = runEvents(ctx, runId);
    const requested = await receivedEvent(subscription, (event) => event.type === 'approval.requested');

    const [killed] = await listeners();
    await harness.db.prisma.$queryRaw`SELECT pg_terminate_backend(${killed}::int)`;
    await eventually(async () => {
      const now = await listeners();
      return now.length === 1 && now[0] !== killed;
    });

    await ctx.graphqlOk(DECIDE, { id: requested.data?.approvalId });
    expect(await subscription.ended).toEqual({ kind: 'complete' });
    await subscription.close();
    expect(summary(events(subscription))).toEqual(await storedEvents(runId));
    expect(events(subscription).at(-1)?.type).toBe('run.succeeded');
  });

  it('records node.retrying for an http node that fails once, between its start and its success', async () => {
    http.enqueue('GET /flaky-events', { status: 503, body: { error: 'busy' } }, { status: 200, body: { ok: true } });
    const dag = {
      nodes: [
        {
          id: 'fetch',
          type: 'http',
          config: { url: `${http.url}/flaky-events` },
          retry: { maximumAttempts: 3, initialInterval: '500ms', backoffCoefficient: 1 },
        },
      ],
    };
    const { runId } = await startRunOf(ctx, dag);
    const subscription = runEvents(ctx, runId);
    expect(await subscription.ended).toEqual({ kind: 'complete' });
    await subscription.close();
    const ofFetch = events(subscription).filter((event) => event.nodeId === 'fetch');
    // node.started comes from the workflow's batched sync and may commit after the first attempt failed.
    expect(ofFetch.map(({ type, data }) => [type, data]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['node.attempt_failed', { attempt: 1, error: expect.stringContaining('503'), errorType: 'HttpStatusError' }],
      ['node.retrying', { attempt: 2 }],
      ['node.started', { nodeType: 'http' }],
      ['node.succeeded', { status: 'SUCCEEDED', attempts: 2 }],
    ]);
    const types = ofFetch.map(({ type }) => type);
    expect(types.indexOf('node.attempt_failed')).toBeLessThan(types.indexOf('node.retrying'));
    expect(types.indexOf('node.retrying')).toBeLessThan(types.indexOf('node.succeeded'));
    // The same events as attempts, with the backoff between them.
    const { run } = await ctx.graphqlOk(`query ($id: ID!) { run(id: $id) { nodes { nodeId attemptHistory { attempt startedAt finishedAt error } } } }`, { id: runId });
    const attempts = run.nodes.find((node: { nodeId: string }) => node.nodeId === 'fetch').attemptHistory;
    expect(attempts.map((attempt: { attempt: number; error: string | null }) => [attempt.attempt, attempt.error?.includes('503') ?? null])).toEqual([
      [1, true],
      [2, null],
    ]);
    expect(Date.parse(attempts[1].startedAt) - Date.parse(attempts[0].finishedAt)).toBeGreaterThanOrEqual(400);
  });

  it('ends with exactly one run.cancelled when the API cancels the run', async () => {
    const dag = { nodes: [{ id: 'wait', type: 'delay', config: { duration: '1h' } }] };
    const { runId } = await startRunOf(ctx, dag);
    const subscription = runEvents(ctx, runId);
    await receivedEvent(subscription, (event) => event.type === 'node.started');
    await ctx.graphqlOk(`mutation ($id: ID!) { cancelRun(id: $id) { id } }`, { id: runId });
    expect(await subscription.ended).toEqual({ kind: 'complete' });
    await subscription.close();
    expect(events(subscription).at(-1)).toMatchObject({ type: 'run.cancelled', data: { status: 'CANCELLED' } });
    const stored = await storedEvents(runId);
    expect(stored.filter((event) => event.type === 'run.cancelled')).toHaveLength(1);
    expect(summary(events(subscription))).toEqual(stored);
  });

  it('refuses an unknown run, a malformed id and a negative afterSequence', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ runId: randomUUID() }, 'NOT_FOUND'],
      [{ runId: 'not-a-uuid' }, 'BAD_USER_INPUT'],
      [{ runId: randomUUID(), after: -1 }, 'BAD_USER_INPUT'],
    ];
    for (const [variables, code] of cases) {
      const subscription = subscribe(ctx.api.graphqlUrl, RUN_EVENTS, variables);
      const end = await subscription.ended;
      await subscription.close();
      expect(end).toMatchObject({ kind: 'errors', errors: [{ extensions: { code } }] });
    }
  });
});

describe('runUpdated subscription', () => {
  it("streams an agent's run going RUNNING then SUCCEEDED, and nothing of another agent's run", async () => {
    const watchedDag = {
      nodes: [
        { id: 'wait', type: 'delay', config: { duration: '500ms' } },
        { id: 'done', type: 'set', config: { value: 1 } },
      ],
      edges: [{ from: 'wait', to: 'done' }],
    };
    const { createAgent: watched } = await ctx.graphqlOk(CREATE, { input: { name: `watched-${randomUUID()}`, dag: watchedDag } });
    const { createAgent: other } = await ctx.graphqlOk(CREATE, {
      input: { name: `other-${randomUUID()}`, dag: { nodes: [{ id: 'done', type: 'set', config: { value: 1 } }] } },
    });
    const feed = subscribe<{ runUpdated: { id: string; status: string; agent: { id: string } } }>(ctx.api.graphqlUrl, RUN_UPDATED, {
      agentId: watched.id,
    });
    try {
      // A sentinel run of the watched agent, announced until the feed shows it: from then on it is live.
      const version = await harness.db.prisma.agentVersion.findFirstOrThrow({ where: { agentId: watched.id } });
      const sentinel = await harness.db.prisma.run.create({
        data: { id: randomUUID(), agentId: watched.id, agentVersionId: version.id, input: {}, status: 'WAITING' },
      });
      await eventually(async () => {
        await harness.db.prisma.$transaction((tx) => recordRunEvents(tx, sentinel.id, [], { status: 'WAITING' }));
        return feed.received.some((item) => item.data.runUpdated.id === sentinel.id);
      });

      const { startRun: otherRun } = await ctx.graphqlOk(START, { agentId: other.id });
      await eventually(async () => (await harness.db.prisma.run.findUnique({ where: { id: otherRun.id } }))?.status === 'SUCCEEDED');
      const { startRun: run } = await ctx.graphqlOk(START, { agentId: watched.id });
      await eventually(async () => feed.received.some((item) => item.data.runUpdated.id === run.id && item.data.runUpdated.status === 'SUCCEEDED'));

      const updates = feed.received.map((item) => item.data.runUpdated);
      expect(updates.every((update) => update.agent.id === watched.id)).toBe(true);
      expect(updates.filter((update) => update.id === otherRun.id)).toEqual([]);
      expect(updates.filter((update) => update.id === run.id).map((update) => update.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    } finally {
      await feed.close();
    }
  });

  it('refuses an unknown agent', async () => {
    const feed = subscribe(ctx.api.graphqlUrl, RUN_UPDATED, { agentId: randomUUID() });
    const end = await feed.ended;
    await feed.close();
    expect(end).toMatchObject({ kind: 'errors', errors: [{ extensions: { code: 'NOT_FOUND' } }] });
  });
});
