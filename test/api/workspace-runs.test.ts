/**
 * A run's workflow carries its workspace: the `TrellisWorkspace` search attribute on the run, its sub-flow
 * children and its schedules' actions, and a DAG can only start agents of its own workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@trellis/test-support';
import { createHarness, type Harness } from '@trellis/test-support/worker';
import { WORKSPACE_SEARCH_ATTRIBUTE_KEY } from '@trellis/dag-interpreter';
import { type ApiTestContext, createWorkspaceWithKey, startTestApi } from './support/api-test-context.js';

const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const START = `mutation ($agentId: ID!) { startRun(agentId: $agentId) { id } }`;
const RUN = `query ($id: ID!) { run(id: $id) { status error { message type } childRuns { id } } }`;

let harness: Harness;
let ctx: ApiTestContext;
let workspaceA: string;
beforeAll(async () => {
  harness = await createHarness();
  ctx = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue });
  workspaceA = (await ctx.db.prisma.workspace.findFirstOrThrow({ orderBy: { createdAt: 'asc' } })).id;
});
afterAll(async () => {
  await ctx?.close();
  await harness?.close();
});

const squareDag = { nodes: [{ id: 'square', type: 'set', config: { value: 4 } }], output: 'nodes.square.output' };
const delegating = (agentId: string) => ({
  nodes: [{ id: 'delegate', type: 'subflow', config: { agent: { id: agentId } } }],
  output: 'nodes.delegate.output',
});

async function workspaceAttributeOf(workflowId: string): Promise<string | undefined> {
  const description = await harness.client.workflow.getHandle(workflowId).describe();
  return description.typedSearchAttributes.get(WORKSPACE_SEARCH_ATTRIBUTE_KEY);
}

describe('runs and workspaces', () => {
  it('tags a run and its sub-flow child with the workspace, and lists them by it in Temporal', async () => {
    const child = (await ctx.graphqlOk(CREATE, { input: { name: 'tagged-child', dag: squareDag } })).createAgent.id;
    const parent = (await ctx.graphqlOk(CREATE, { input: { name: 'tagged-parent', dag: delegating(child) } })).createAgent.id;
    const { startRun } = await ctx.graphqlOk(START, { agentId: parent });
    const run = await eventually(async () => {
      const found = (await ctx.graphqlOk(RUN, { id: startRun.id })).run;
      return found.status === 'SUCCEEDED' && found;
    });
    const childRunId = run.childRuns[0].id;
    expect(await workspaceAttributeOf(startRun.id)).toBe(workspaceA);
    expect(await workspaceAttributeOf(childRunId)).toBe(workspaceA);
    const listed = await eventually(async () => {
      const ids: string[] = [];
      for await (const execution of harness.client.workflow.list({ query: `TrellisWorkspace = "${workspaceA}"` })) ids.push(execution.workflowId);
      return ids.includes(startRun.id) && ids.includes(childRunId) && ids;
    });
    expect(listed).toEqual(expect.arrayContaining([startRun.id, childRunId]));
  });

  it("fails a sub-flow naming another workspace's agent as AgentNotFound, starting nothing there", async () => {
    const other = await createWorkspaceWithKey(ctx.db, 'other tenant');
    const foreign = await ctx.graphqlWith({ authorization: other.authorization }, CREATE, { input: { name: 'foreign', dag: squareDag } });
    const foreignAgent = foreign.data!.createAgent.id as string;
    const prober = (await ctx.graphqlOk(CREATE, { input: { name: 'prober', dag: delegating(foreignAgent) } })).createAgent.id;
    const { startRun } = await ctx.graphqlOk(START, { agentId: prober });
    const run = await eventually(async () => {
      const found = (await ctx.graphqlOk(RUN, { id: startRun.id })).run;
      return found.status === 'FAILED' && found;
    });
    expect(run.error.message).toContain(`Agent ${foreignAgent} does not exist`);
    expect(run.childRuns).toEqual([]);
    expect(await ctx.db.prisma.run.count({ where: { agentId: foreignAgent } })).toBe(0);
  });

  it("puts the workspace on a schedule's action, so scheduled runs carry it too", async () => {
    const agent = (await ctx.graphqlOk(CREATE, { input: { name: 'scheduled-tagged', dag: squareDag } })).createAgent.id;
    const { createSchedule } = await ctx.graphqlOk(
      `mutation ($input: CreateScheduleInput!) { createSchedule(input: $input) { id } }`,
      { input: { agentId: agent, interval: '1h', paused: true } },
    );
    const description = await harness.client.schedule.getHandle(`trellis-schedule-${createSchedule.id}`).describe();
    expect(description.action.type).toBe('startWorkflow');
    const action = description.action as { typedSearchAttributes?: { get(key: typeof WORKSPACE_SEARCH_ATTRIBUTE_KEY): unknown } };
    expect(action.typedSearchAttributes?.get(WORKSPACE_SEARCH_ATTRIBUTE_KEY)).toBe(workspaceA);
    await ctx.graphqlOk(`mutation ($id: ID!) { deleteSchedule(id: $id) }`, { id: createSchedule.id });
  });
});
