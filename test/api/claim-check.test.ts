/**
 * The API's Temporal client encodes through the claim-check codec: a run started with a large input
 * keeps only a reference in workflow history, and the worker (same database) reads the value back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { isClaimReference, parseClaimReference } from '@trellis/db';
import { eventually } from '@trellis/test-support';
import { createHarness, type Harness } from '@trellis/test-support/worker';
import { type ApiTestContext, startTestApi } from './support/api-test-context.js';

/** Small enough that the workflow input below (DAG plus a 20,000-character input) exceeds it. */
const API_THRESHOLD_BYTES = 4096;

let harness: Harness;
let ctx: ApiTestContext;
beforeAll(async () => {
  harness = await createHarness();
  ctx = await startTestApi({
    db: harness.db,
    temporalAddress: harness.temporalAddress,
    taskQueue: harness.taskQueue,
    claimCheckThresholdBytes: API_THRESHOLD_BYTES,
  });
});
afterAll(async () => {
  await ctx?.close();
  await harness?.close();
});

describe('claim check in the API client', () => {
  it('stores a large run input in Postgres, keeps a reference in history, and the worker runs with the full value', async () => {
    const dag = {
      nodes: [{ id: 'measure', type: 'set', config: { value: { length: '{{ $length(input.text) }}' } } }],
      output: 'nodes.measure.output',
    };
    const { createAgent } = await ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: 'large-input', dag },
    });
    const text = 'lorem ipsum '.repeat(2_000).slice(0, 20_000);
    const storedBefore = await ctx.db.prisma.payload.count();
    const { startRun } = await ctx.graphqlOk(`mutation ($agentId: ID!, $input: JSON) { startRun(agentId: $agentId, input: $input) { id } }`, {
      agentId: createAgent.id,
      input: { text },
    });

    const run = await eventually(async () => {
      const result = await ctx.graphqlOk(`query ($id: ID!) { run(id: $id) { status output } }`, { id: startRun.id });
      return result.run.status !== 'RUNNING' && result.run;
    });
    expect(run).toEqual({ status: 'SUCCEEDED', output: { length: 20_000 } });

    // Read the history without any codec: the start event's argument is a reference to a stored row.
    const connection = await Connection.connect({ address: ctx.temporalAddress });
    try {
      const history = await new Client({ connection }).workflow.getHandle(startRun.id).fetchHistory();
      const [argument] = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
      expect(argument).toBeDefined();
      expect(isClaimReference(argument!)).toBe(true);
      const reference = parseClaimReference(argument!);
      expect(reference.sizeBytes).toBeGreaterThan(20_000);
      const row = await ctx.db.prisma.payload.findUnique({ where: { id: reference.id } });
      expect(row?.sizeBytes).toBe(reference.sizeBytes);
    } finally {
      await connection.close();
    }
    expect(await ctx.db.prisma.payload.count()).toBeGreaterThan(storedBefore);
  });
});
