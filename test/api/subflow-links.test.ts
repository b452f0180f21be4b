/**
 * Run links through the API with the real worker: a `subflow` node's child run shows up as the node's
 * `childRun`, in the parent's `childRuns` and in `runs(parentRunId:)`, and links back with `parentRun`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@trellis/test-support';
import { createHarness, type Harness } from '@trellis/test-support/worker';
import { type ApiTestContext, startTestApi } from './support/api-test-context.js';

const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const START = `mutation ($agentId: ID!) { startRun(agentId: $agentId) { id } }`;
const RUN = `query ($id: ID!) { run(id: $id) {
  status output parentRun { id }
  childRuns { id status trigger input output agent { id } parentRun { id } }
  nodes { nodeId status reused childRun { id } }
} }`;

let harness: Harness;
let ctx: ApiTestContext;
beforeAll(async () => {
  harness = await createHarness();
  ctx = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue });
});
afterAll(async () => {
  await ctx?.close();
  await harness?.close();
});

describe('subflow run links', () => {
  it('links a subflow node to the child run it started, both ways', async () => {
    const child = (
      await ctx.graphqlOk(CREATE, {
        input: {
          name: 'links-child',
          dag: {
            inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
            nodes: [{ id: 'square', type: 'set', config: { value: '{{ input.n * input.n }}' } }],
            output: 'nodes.square.output',
          },
        },
      })
    ).createAgent.id;
    const parentDag = {
      nodes: [
        { id: 'delegate', type: 'subflow', config: { agent: { id: child }, input: { n: 7 } } },
        { id: 'after', type: 'set', config: { value: { squared: '{{ nodes.delegate.output }}' } } },
      ],
      edges: [{ from: 'delegate', to: 'after' }],
      output: 'nodes.after.output',
    };
    const parentAgent = (await ctx.graphqlOk(CREATE, { input: { name: 'links-parent', dag: parentDag } })).createAgent.id;
    const { startRun } = await ctx.graphqlOk(START, { agentId: parentAgent });

    const parent = await eventually(async () => {
      const { run } = await ctx.graphqlOk(RUN, { id: startRun.id });
      return run.status === 'SUCCEEDED' && run;
    });
    expect(parent.output).toEqual({ squared: 49 });
    expect(parent.parentRun).toBeNull();
    expect(parent.childRuns).toHaveLength(1);
    const [childRun] = parent.childRuns;
    expect(childRun).toMatchObject({
      status: 'SUCCEEDED',
      trigger: 'SUBFLOW',
      input: { n: 7 },
      output: 49,
      agent: { id: child },
      parentRun: { id: startRun.id },
    });
    expect(parent.nodes).toEqual([
      { nodeId: 'delegate', status: 'SUCCEEDED', reused: false, childRun: { id: childRun.id } },
      { nodeId: 'after', status: 'SUCCEEDED', reused: false, childRun: null },
    ]);

    const { runs } = await ctx.graphqlOk(`query ($parent: ID) { runs(parentRunId: $parent) { totalCount nodes { id } } }`, {
      parent: startRun.id,
    });
    expect(runs).toEqual({ totalCount: 1, nodes: [{ id: childRun.id }] });
  });
});
