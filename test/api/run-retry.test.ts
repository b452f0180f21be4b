/**
 * `retryRun` end to end: the API plans the retry, the real worker runs the new workflow, and an HTTP
 * fixture counts which nodes were executed again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type HttpFixture, startHttpFixture } from '@trellis/test-support';
import { createHarness, type Harness } from '@trellis/test-support/worker';
import { type ApiTestContext, type ResponseData, setDag, startTestApi } from './support/api-test-context.js';

const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id liveVersion { id } } }`;
const START = `mutation ($agentId: ID!, $input: JSON) { startRun(agentId: $agentId, input: $input) { id } }`;
const RETRY = `mutation ($id: ID!, $fromNode: String) {
  retryRun(id: $id, fromNode: $fromNode) { id status trigger input agentVersion { id } retryOf { id status } }
}`;
const RUN = `query ($id: ID!) { run(id: $id) {
  id status output error { message nodeId } trigger retryOf { id }
  nodes { nodeId status attempts reused output error { message } }
} }`;

let harness: Harness;
let ctx: ApiTestContext;
let fixture: HttpFixture;
beforeAll(async () => {
  fixture = await startHttpFixture();
  harness = await createHarness({ egressAllow: [fixture.url] });
  ctx = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue });
});
afterAll(async () => {
  await ctx?.close();
  await harness?.close();
  await fixture?.close();
});

async function getRun(id: string): Promise<ResponseData> {
  return (await ctx.graphqlOk(RUN, { id })).run;
}

/** Waits until the run has finished (SUCCEEDED, FAILED or CANCELLED) and returns it. */
function finished(id: string): Promise<ResponseData> {
  return eventually(async () => {
    const run = await getRun(id);
    return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status) && run;
  });
}

/** Node id → the fields the assertions compare. */
function nodesById(run: ResponseData): Record<string, ResponseData> {
  return Object.fromEntries(run.nodes.map((node: ResponseData) => [node.nodeId, node]));
}

/**
 * `set → http (succeeds) → http (fails until the fixture is switched) → set`, each http node on its own
 * fixture route so request counts tell the nodes apart.
 */
function pipelineDag(routePrefix: string): Record<string, unknown> {
  return {
    inputSchema: { type: 'object', properties: { item: { type: 'string' } }, required: ['item'] },
    nodes: [
      { id: 'prepare', type: 'set', config: { value: { item: '{{ input.item }}' } } },
      { id: 'lookup', type: 'http', config: { method: 'GET', url: `${fixture.url}/${routePrefix}/lookup` } },
      {
        id: 'submit',
        type: 'http',
        config: { method: 'POST', url: `${fixture.url}/${routePrefix}/submit`, body: '{{ nodes.prepare.output }}' },
        retry: { maximumAttempts: 2, initialInterval: '100ms' },
      },
      { id: 'report', type: 'set', config: { value: { submitted: '{{ nodes.submit.output.body }}' } } },
    ],
    edges: [
      { from: 'prepare', to: 'lookup' },
      { from: 'lookup', to: 'submit' },
      { from: 'submit', to: 'report' },
    ],
    output: 'nodes.report.output',
  };
}

/** Creates the pipeline agent with `submit` answering 500, runs it and waits for it to fail. */
async function failedPipelineRun(routePrefix: string): Promise<{ runId: string; versionId: string }> {
  fixture.always(`GET /${routePrefix}/lookup`, { status: 200, body: { found: true } });
  fixture.always(`POST /${routePrefix}/submit`, { status: 500, body: { error: 'down' } });
  const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: `retry-${routePrefix}`, dag: pipelineDag(routePrefix) } });
  const { startRun } = await ctx.graphqlOk(START, { agentId: createAgent.id, input: { item: 'widget' } });
  const run = await finished(startRun.id);
  expect(run.status).toBe('FAILED');
  expect(run.error.nodeId).toBe('submit');
  expect(fixture.count(`POST /${routePrefix}/submit`)).toBe(2);
  return { runId: startRun.id, versionId: createAgent.liveVersion.id };
}

describe('retryRun', () => {
  it('refuses to retry a run that succeeded, with CONFLICT naming its status, storing nothing', async () => {
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: 'retry-succeeded', dag: setDag() } });
    const { startRun } = await ctx.graphqlOk(START, { agentId: createAgent.id });
    expect((await finished(startRun.id)).status).toBe('SUCCEEDED');

    const before = await ctx.rowCounts();
    const result = await ctx.graphql(RETRY, { id: startRun.id });
    expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(result.errors?.[0]?.message).toContain('SUCCEEDED');
    expect(await ctx.rowCounts()).toEqual(before);
  });

  it('rejects an unknown fromNode with BAD_USER_INPUT at path fromNode, and reports unknown or malformed ids', async () => {
    const { runId } = await failedPipelineRun('bad-from');
    const before = await ctx.rowCounts();

    const unknownNode = await ctx.graphql(RETRY, { id: runId, fromNode: 'nope' });
    expect(unknownNode.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'fromNode' }] });
    expect(unknownNode.errors?.[0]?.extensions?.issues?.[0]?.message).toContain('nope');

    const missing = await ctx.graphql(RETRY, { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await ctx.graphql(RETRY, { id: 'run-1' });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'id' }] });
    expect(await ctx.rowCounts()).toEqual(before);
  });

  it('re-executes only from the failed node, reusing the outputs recorded before it, and links the runs', async () => {
    const { runId, versionId } = await failedPipelineRun('from-failed');
    const failed = nodesById(await getRun(runId));
    fixture.always('POST /from-failed/submit', { status: 200, body: { accepted: 'widget' } });

    const { retryRun } = await ctx.graphqlOk(RETRY, { id: runId });
    expect(retryRun).toMatchObject({
      status: 'RUNNING',
      trigger: 'RETRY',
      input: { item: 'widget' },
      agentVersion: { id: versionId },
      retryOf: { id: runId, status: 'FAILED' },
    });
    expect(retryRun.id).not.toBe(runId);

    const retried = await finished(retryRun.id);
    expect(retried).toMatchObject({ status: 'SUCCEEDED', error: null, trigger: 'RETRY', retryOf: { id: runId } });
    expect(retried.output).toEqual({ submitted: { accepted: 'widget' } });
    const nodes = nodesById(retried);
    expect(nodes.prepare).toMatchObject({ status: 'SUCCEEDED', reused: true, output: failed.prepare.output });
    expect(nodes.lookup).toMatchObject({ status: 'SUCCEEDED', reused: true, output: failed.lookup.output });
    expect(nodes.submit).toMatchObject({ status: 'SUCCEEDED', reused: false, attempts: 1 });
    expect(nodes.report).toMatchObject({ status: 'SUCCEEDED', reused: false });

    // One new request for the re-executed node; none for the reused one.
    expect(fixture.count('POST /from-failed/submit')).toBe(3);
    expect(fixture.count('GET /from-failed/lookup')).toBe(1);
    // The failed run is left as it was.
    expect((await getRun(runId)).status).toBe('FAILED');
  });

  it('re-executes from fromNode even when that node succeeded', async () => {
    const { runId } = await failedPipelineRun('from-node');
    fixture.always('POST /from-node/submit', { status: 200, body: { accepted: 'again' } });

    const { retryRun } = await ctx.graphqlOk(RETRY, { id: runId, fromNode: 'lookup' });
    const retried = await finished(retryRun.id);
    expect(retried.status).toBe('SUCCEEDED');
    const nodes = nodesById(retried);
    expect(nodes.prepare.reused).toBe(true);
    expect([nodes.lookup.reused, nodes.submit.reused, nodes.report.reused]).toEqual([false, false, false]);
    expect(fixture.count('GET /from-node/lookup')).toBe(2);
    expect(fixture.count('POST /from-node/submit')).toBe(3);
  });

  it('retries a CANCELLED run, reusing what succeeded before the cancellation', async () => {
    const dag = {
      nodes: [
        { id: 'prepare', type: 'set', config: { value: 'ready' } },
        { id: 'wait', type: 'delay', config: { duration: '1h' } },
      ],
      edges: [{ from: 'prepare', to: 'wait' }],
    };
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: 'retry-cancelled', dag } });
    const { startRun } = await ctx.graphqlOk(START, { agentId: createAgent.id });
    await eventually(async () => nodesById(await getRun(startRun.id)).wait.status !== 'PENDING');
    await ctx.graphqlOk(`mutation ($id: ID!) { cancelRun(id: $id) { id } }`, { id: startRun.id });
    expect((await finished(startRun.id)).status).toBe('CANCELLED');

    const { retryRun } = await ctx.graphqlOk(RETRY, { id: startRun.id });
    expect(retryRun).toMatchObject({ trigger: 'RETRY', retryOf: { id: startRun.id, status: 'CANCELLED' } });
    const waiting = await eventually(async () => {
      const nodes = nodesById(await getRun(retryRun.id));
      return nodes.wait.status !== 'PENDING' && nodes;
    });
    expect(waiting.prepare).toMatchObject({ status: 'SUCCEEDED', reused: true, output: 'ready' });
    await ctx.graphqlOk(`mutation ($id: ID!) { cancelRun(id: $id) { id } }`, { id: retryRun.id });
    expect((await finished(retryRun.id)).status).toBe('CANCELLED');
  });
});
