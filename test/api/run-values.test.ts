/**
 * Reading a run's values without fetching them whole, against the real worker: previews of a large node
 * output and run output, one node by id, and the link to the run's workflow in the Temporal UI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@trellis/test-support';
import { createHarness, type Harness } from '@trellis/test-support/worker';
import { type ApiTestContext, startTestApi } from './support/api-test-context.js';

const DAG = {
  nodes: [
    { id: 'big', type: 'set', config: { value: { rows: '{{ input.rows }}' } } },
    { id: 'small', type: 'set', config: { value: 'ok' } },
  ],
  edges: [{ from: 'big', to: 'small' }],
  output: 'nodes.big.output',
};

let harness: Harness;
let ctx: ApiTestContext;
beforeAll(async () => {
  harness = await createHarness();
  ctx = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue, temporalUiUrl: 'http://temporal-ui.test:8233/' });
});
afterAll(async () => {
  await ctx?.close();
  await harness?.close();
});

describe('run values', () => {
  it('previews a large output within maxBytes, reads one node by id, and links to the Temporal UI', async () => {
    const rows = Array.from({ length: 3_000 }, (_unused, index) => ({ id: index, label: `row ${index} ✓` }));
    const { createAgent } = await ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'values', dag: DAG } });
    const { startRun } = await ctx.graphqlOk(`mutation ($agentId: ID!, $input: JSON) { startRun(agentId: $agentId, input: $input) { id } }`, { agentId: createAgent.id, input: { rows } });
    await eventually(async () => (await ctx.db.prisma.run.findUnique({ where: { id: startRun.id } }))?.status === 'SUCCEEDED', 30_000);

    const { run } = await ctx.graphqlOk(
      `query ($id: ID!) { run(id: $id) {
        temporalUiUrl
        outputPreview(maxBytes: 2000) { text truncated bytes }
        big: node(nodeId: "big") { nodeId status outputPreview(maxBytes: 500) { text truncated bytes } }
        small: node(nodeId: "small") { outputPreview { text truncated bytes } output }
        missing: node(nodeId: "nope") { nodeId }
      } }`,
      { id: startRun.id },
    );
    const whole = { rows };
    expect(run.big).toMatchObject({ nodeId: 'big', status: 'SUCCEEDED', outputPreview: { truncated: true, bytes: Buffer.byteLength(JSON.stringify(whole)) } });
    expect(Buffer.byteLength(run.big.outputPreview.text)).toBeLessThanOrEqual(500);
    expect(JSON.stringify(whole, null, 2).startsWith(run.big.outputPreview.text)).toBe(true);
    expect(run.outputPreview.truncated).toBe(true);
    expect(Buffer.byteLength(run.outputPreview.text)).toBeLessThanOrEqual(2000);
    expect(run.small).toEqual({ outputPreview: { text: '"ok"', truncated: false, bytes: 4 }, output: 'ok' });
    expect(run.missing).toBeNull();
    expect(run.temporalUiUrl).toBe(`http://temporal-ui.test:8233/namespaces/default/workflows/${startRun.id}`);

    const refused = await ctx.graphql(`query ($id: ID!) { run(id: $id) { outputPreview(maxBytes: 0) { text } } }`, { id: startRun.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
