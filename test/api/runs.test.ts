import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@trellis/test-support';
import { type ApiTestContext, setDag, startTestApi } from './support/api-test-context.js';

const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id liveVersion { id } } }`;
const START = `mutation ($agentId: ID!, $input: JSON, $key: String) {
  startRun(agentId: $agentId, input: $input, idempotencyKey: $key) {
    id status trigger input idempotencyKey startedAt finishedAt output error { message }
    agent { id } agentVersion { id version }
    nodes { nodeId type status attempts output error { message } startedAt finishedAt reused compensation { status } childRun { id } }
    parentRun { id } retryOf { id } childRuns { id }
  }
}`;
const RUNS = `query ($agentId: ID, $status: RunStatus, $parentRunId: ID, $first: Int, $after: String) {
  runs(agentId: $agentId, status: $status, parentRunId: $parentRunId, first: $first, after: $after) {
    totalCount nodes { id } edges { cursor node { id startedAt } } pageInfo { hasNextPage endCursor }
  }
}`;

let ctx: ApiTestContext;
let agentId: string;
let versionId: string;
beforeAll(async () => {
  ctx = await startTestApi();
  const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: 'runs-agent', dag: setDag() } });
  agentId = createAgent.id;
  versionId = createAgent.liveVersion.id;
});
afterAll(async () => {
  await ctx?.close();
});

describe('startRun', () => {
  it('stores a RUNNING run, starts its workflow with the pinned version, and lists not-yet-run nodes as PENDING', async () => {
    const { startRun } = await ctx.graphqlOk(START, { agentId, input: { threshold: 3 } });
    expect(startRun).toMatchObject({
      status: 'RUNNING',
      trigger: 'API',
      input: { threshold: 3 },
      idempotencyKey: null,
      finishedAt: null,
      output: null,
      error: null,
      agent: { id: agentId },
      agentVersion: { id: versionId, version: 1 },
      nodes: [
        {
          nodeId: 'answer', type: 'set', status: 'PENDING', attempts: 0, output: null, error: null, startedAt: null, finishedAt: null,
          reused: false, compensation: null, childRun: null,
        },
      ],
      parentRun: null,
      retryOf: null,
      childRuns: [],
    });
    // The workflow exists on the configured task queue, with the run id as its id and the DagWorkflowInput as its argument.
    const { Client, Connection } = await import('@temporalio/client');
    const connection = await Connection.connect({ address: ctx.temporalAddress });
    try {
      const handle = new Client({ connection }).workflow.getHandle(startRun.id);
      const description = await handle.describe();
      expect(description.type).toBe('dagWorkflow');
      expect(description.taskQueue).toBe(ctx.taskQueue);
    } finally {
      await connection.close();
    }
  });

  it('defaults the input to {}', async () => {
    const { startRun } = await ctx.graphqlOk(START, { agentId });
    expect(startRun.input).toEqual({});
  });

  it('rejects input failing the input schema with BAD_USER_INPUT at input paths, storing nothing', async () => {
    const before = await ctx.rowCounts();
    const result = await ctx.graphql(START, { agentId, input: { threshold: 'high', extra: 1 } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const paths = result.errors![0].extensions!.issues!.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['input.threshold', 'input.extra']));
    expect(await ctx.rowCounts()).toEqual(before);
  });

  it('returns the same run for the same idempotency key (sequential calls)', async () => {
    const first = await ctx.graphqlOk(START, { agentId, key: 'sequential-key', input: { threshold: 1 } });
    const second = await ctx.graphqlOk(START, { agentId, key: 'sequential-key', input: { threshold: 2 } });
    expect(second.startRun.id).toBe(first.startRun.id);
    expect(second.startRun.input).toEqual({ threshold: 1 });
    expect(first.startRun.idempotencyKey).toBe('sequential-key');
    expect(await ctx.db.prisma.run.count({ where: { idempotencyKey: 'sequential-key' } })).toBe(1);
  });

  it('returns the same run for the same idempotency key (concurrent calls)', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => ctx.graphqlOk(START, { agentId, key: 'concurrent-key' })),
    );
    const ids = new Set(results.map((result) => result.startRun.id));
    expect(ids.size).toBe(1);
    expect(await ctx.db.prisma.run.count({ where: { idempotencyKey: 'concurrent-key' } })).toBe(1);
  });

  it('deletes the run again when the workflow cannot be started', async () => {
    const closedPort = await freePort();
    const offline = await startTestApi({ db: ctx.db, temporalAddress: `127.0.0.1:${closedPort}` });
    try {
      const before = await ctx.rowCounts();
      const result = await offline.graphql(START, { agentId });
      expect(result.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(result.errors?.[0]?.message).toBe('Internal server error');
      expect(await ctx.rowCounts()).toEqual(before);
    } finally {
      await offline.close();
    }
  });
});

describe('runs and run', () => {
  it('pages newest first with opaque cursors and a total count', async () => {
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: 'paging-agent', dag: setDag() } });
    const started: string[] = [];
    for (let i = 0; i < 5; i++) started.push((await ctx.graphqlOk(START, { agentId: createAgent.id })).startRun.id);
    const newestFirst = [...started].reverse();

    const page1 = (await ctx.graphqlOk(RUNS, { agentId: createAgent.id, first: 2 })).runs;
    expect(page1.totalCount).toBe(5);
    expect(page1.nodes.map((n: { id: string }) => n.id)).toEqual(newestFirst.slice(0, 2));
    expect(page1.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(newestFirst.slice(0, 2));
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[1].cursor });

    const page2 = (await ctx.graphqlOk(RUNS, { agentId: createAgent.id, first: 2, after: page1.pageInfo.endCursor })).runs;
    expect(page2.nodes.map((n: { id: string }) => n.id)).toEqual(newestFirst.slice(2, 4));
    const page3 = (await ctx.graphqlOk(RUNS, { agentId: createAgent.id, first: 2, after: page2.pageInfo.endCursor })).runs;
    expect(page3.nodes.map((n: { id: string }) => n.id)).toEqual(newestFirst.slice(4));
    expect(page3.pageInfo.hasNextPage).toBe(false);

    const none = (await ctx.graphqlOk(RUNS, { agentId: createAgent.id, status: 'SUCCEEDED' })).runs;
    expect(none).toMatchObject({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('rejects a bad cursor or page size with BAD_USER_INPUT', async () => {
    const badCursor = await ctx.graphql(RUNS, { after: 'bm9wZQ' });
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'after' }] });
    const badSize = await ctx.graphql(RUNS, { first: 0 });
    expect(badSize.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'first' }] });
  });

  it('reports an unknown run as NOT_FOUND and a malformed id as BAD_USER_INPUT', async () => {
    const missing = await ctx.graphql(`{ run(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await ctx.graphql(`{ run(id: "42") { id } }`);
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows stored node rows in DAG order and maps stored errors to ErrorInfo', async () => {
    const dag = {
      nodes: [
        { id: 'first', type: 'set', config: { value: 1 } },
        { id: 'second', type: 'set', config: { value: 2 } },
        { id: 'third', type: 'set', config: { value: 3 } },
      ],
      edges: [
        { from: 'first', to: 'second' },
        { from: 'second', to: 'third' },
      ],
    };
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: 'nodes-agent', dag } });
    const { startRun } = await ctx.graphqlOk(START, { agentId: createAgent.id });
    // Simulate what the worker writes: rows inserted out of DAG order, one failed.
    await ctx.db.prisma.nodeRun.create({
      data: { runId: startRun.id, nodeId: 'second', type: 'set', status: 'FAILED', attempts: 3, error: { message: 'boom', type: 'Oops', attempts: 3 } },
    });
    await ctx.db.prisma.nodeRun.create({
      data: { runId: startRun.id, nodeId: 'first', type: 'set', status: 'SUCCEEDED', attempts: 1, output: 1 },
    });
    await ctx.db.prisma.run.update({
      where: { id: startRun.id },
      data: { status: 'FAILED', error: { message: 'node failed', nodeId: 'second' }, finishedAt: new Date() },
    });
    const { run } = await ctx.graphqlOk(
      `query ($id: ID!) { run(id: $id) { status error { message type nodeId attempts } nodes { nodeId status attempts output error { message type attempts } } } }`,
      { id: startRun.id },
    );
    expect(run.status).toBe('FAILED');
    expect(run.error).toEqual({ message: 'node failed', type: null, nodeId: 'second', attempts: null });
    expect(run.nodes).toEqual([
      { nodeId: 'first', status: 'SUCCEEDED', attempts: 1, output: 1, error: null },
      { nodeId: 'second', status: 'FAILED', attempts: 3, output: null, error: { message: 'boom', type: 'Oops', attempts: 3 } },
      { nodeId: 'third', status: 'PENDING', attempts: 0, output: null, error: null },
    ]);

    // A finished run cannot be cancelled.
    const cancel = await ctx.graphql(`mutation ($id: ID!) { cancelRun(id: $id) { id } }`, { id: startRun.id });
    expect(cancel.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(cancel.errors?.[0]?.message).toContain('FAILED');
  });

  it('links parent, child and retried runs, and shows reuse, compensation and child runs of nodes', async () => {
    const dag = {
      nodes: [
        { id: 'charge', type: 'set', config: { value: { charged: true } } },
        { id: 'delegate', type: 'subflow', config: { agent: { id: agentId } } },
      ],
      edges: [{ from: 'charge', to: 'delegate' }],
    };
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: 'links-agent', dag } });
    const parent = (await ctx.graphqlOk(START, { agentId: createAgent.id })).startRun.id;
    const [older, newer, retry] = [
      (await ctx.graphqlOk(START, { agentId })).startRun.id,
      (await ctx.graphqlOk(START, { agentId })).startRun.id,
      (await ctx.graphqlOk(START, { agentId: createAgent.id })).startRun.id,
    ];
    // Simulate what the worker writes for a subflow node and a compensated node; the newer child was inserted first.
    await ctx.db.prisma.run.update({ where: { id: newer }, data: { parentRunId: parent, trigger: 'SUBFLOW', startedAt: new Date('2031-01-02T00:00:00Z') } });
    await ctx.db.prisma.run.update({ where: { id: older }, data: { parentRunId: parent, trigger: 'SUBFLOW', startedAt: new Date('2031-01-01T00:00:00Z') } });
    await ctx.db.prisma.run.update({ where: { id: retry }, data: { retryOfRunId: parent, trigger: 'RETRY' } });
    await ctx.db.prisma.nodeRun.create({
      data: {
        runId: parent, nodeId: 'charge', type: 'set', status: 'SUCCEEDED', attempts: 1, output: { charged: true }, reused: true,
        compensation: { status: 'SUCCEEDED', attempts: 2, output: { refunded: true }, startedAt: '2031-01-03T00:00:00.000Z', finishedAt: '2031-01-03T00:00:01.000Z' },
      },
    });
    await ctx.db.prisma.nodeRun.create({
      data: { runId: parent, nodeId: 'delegate', type: 'subflow', status: 'FAILED', attempts: 1, childRunId: older },
    });

    const { run } = await ctx.graphqlOk(
      `query ($id: ID!) { run(id: $id) {
        parentRun { id } retryOf { id }
        childRuns { id trigger parentRun { id } }
        firstChild: childRuns(first: 1) { id }
        nodes { nodeId reused compensation { status attempts output error { message } startedAt finishedAt } childRun { id trigger } }
      } }`,
      { id: parent },
    );
    expect(run.parentRun).toBeNull();
    expect(run.retryOf).toBeNull();
    expect(run.childRuns).toEqual([
      { id: older, trigger: 'SUBFLOW', parentRun: { id: parent } },
      { id: newer, trigger: 'SUBFLOW', parentRun: { id: parent } },
    ]);
    expect(run.firstChild).toEqual([{ id: older }]);
    expect(run.nodes).toEqual([
      {
        nodeId: 'charge',
        reused: true,
        compensation: {
          status: 'SUCCEEDED', attempts: 2, output: { refunded: true }, error: null,
          startedAt: '2031-01-03T00:00:00.000Z', finishedAt: '2031-01-03T00:00:01.000Z',
        },
        childRun: null,
      },
      { nodeId: 'delegate', reused: false, compensation: null, childRun: { id: older, trigger: 'SUBFLOW' } },
    ]);

    const { run: retried } = await ctx.graphqlOk(`query ($id: ID!) { run(id: $id) { trigger retryOf { id } parentRun { id } } }`, { id: retry });
    expect(retried).toEqual({ trigger: 'RETRY', retryOf: { id: parent }, parentRun: null });

    const children = (await ctx.graphqlOk(RUNS, { parentRunId: parent })).runs;
    expect(children.totalCount).toBe(2);
    expect(children.nodes.map((n: { id: string }) => n.id)).toEqual([newer, older]);

    const badParent = await ctx.graphql(RUNS, { parentRunId: 'parent' });
    expect(badParent.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'parentRunId' }] });
    const badFirst = await ctx.graphql(`query ($id: ID!) { run(id: $id) { childRuns(first: 0) { id } } }`, { id: parent });
    expect(badFirst.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'first' }] });
  });
});
