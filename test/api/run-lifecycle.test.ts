/**
 * End to end through the API with the real worker: cancellation and a human approval.
 * Needs `@trellis/worker` (built) and the global setup's workflow bundle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@trellis/test-support';
import { createHarness, type Harness } from '@trellis/test-support/worker';
import { type ApiTestContext, type ResponseData, startTestApi } from './support/api-test-context.js';

const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const START = `mutation ($agentId: ID!, $input: JSON) { startRun(agentId: $agentId, input: $input) { id status } }`;
const RUN = `query ($id: ID!) { run(id: $id) {
  id status output error { message } finishedAt
  nodes { nodeId type status attempts output error { message } startedAt finishedAt }
} }`;
const APPROVALS = `query ($status: ApprovalStatus) { approvals(status: $status) { id nodeId status message comment decidedAt createdAt dueAt run { id } } }`;
const DECIDE = `mutation ($id: ID!, $approve: Boolean!, $comment: String) {
  decideApproval(id: $id, approve: $approve, comment: $comment) { id status comment decidedAt run { id } }
}`;

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

async function runStatus(id: string): Promise<ResponseData> {
  return (await ctx.graphqlOk(RUN, { id })).run;
}

describe('run lifecycle through the API', () => {
  it('cancels an in-flight run', async () => {
    const dag = {
      nodes: [
        { id: 'wait', type: 'delay', config: { duration: '1h' } },
        { id: 'after', type: 'set', config: { value: 'never' } },
      ],
      edges: [{ from: 'wait', to: 'after' }],
    };
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: 'cancel-me', dag } });
    const { startRun } = await ctx.graphqlOk(START, { agentId: createAgent.id });
    await eventually(async () => (await runStatus(startRun.id)).nodes[0].status !== 'PENDING');

    const { cancelRun } = await ctx.graphqlOk(`mutation ($id: ID!) { cancelRun(id: $id) { id } }`, { id: startRun.id });
    expect(cancelRun.id).toBe(startRun.id);
    const run = await eventually(async () => {
      const current = await runStatus(startRun.id);
      return current.status === 'CANCELLED' && current;
    });
    expect(run.finishedAt).not.toBeNull();
    expect(run.nodes.find((node: { nodeId: string }) => node.nodeId === 'after').status).not.toBe('SUCCEEDED');

    const again = await ctx.graphql(`mutation ($id: ID!) { cancelRun(id: $id) { id } }`, { id: startRun.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('completes a run after its approval is granted, and refuses a second decision', async () => {
    const dag = {
      inputSchema: { type: 'object', properties: { item: { type: 'string' } }, required: ['item'] },
      nodes: [
        { id: 'review', type: 'approval', config: { message: 'Ship {{ input.item }}?' } },
        { id: 'ship', type: 'set', config: { value: { shipped: '{{ input.item }}' } } },
      ],
      edges: [{ from: 'review', to: 'ship' }],
      output: 'nodes.ship.output',
    };
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: 'needs-approval', dag } });
    const { startRun } = await ctx.graphqlOk(START, { agentId: createAgent.id, input: { item: 'widget' } });

    const approval = await eventually(async () => {
      const { approvals } = await ctx.graphqlOk(APPROVALS, {});
      return approvals.find((candidate: { run: { id: string } }) => candidate.run.id === startRun.id);
    });
    expect(approval).toMatchObject({ nodeId: 'review', status: 'PENDING', message: 'Ship widget?', comment: null, decidedAt: null });
    const waiting = await runStatus(startRun.id);
    expect(waiting.nodes.map((node: { nodeId: string; status: string }) => [node.nodeId, node.status])).toEqual([
      ['review', 'WAITING'],
      ['ship', 'PENDING'],
    ]);

    const { decideApproval } = await ctx.graphqlOk(DECIDE, { id: approval.id, approve: true, comment: 'looks good' });
    expect(decideApproval).toMatchObject({ id: approval.id, status: 'APPROVED', comment: 'looks good', run: { id: startRun.id } });
    expect(decideApproval.decidedAt).not.toBeNull();

    const done = await eventually(async () => {
      const current = await runStatus(startRun.id);
      return current.status === 'SUCCEEDED' && current;
    });
    expect(done.output).toEqual({ shipped: 'widget' });
    expect(done.error).toBeNull();
    expect(done.nodes.map((node: { nodeId: string; type: string; status: string }) => [node.nodeId, node.type, node.status])).toEqual([
      ['review', 'approval', 'SUCCEEDED'],
      ['ship', 'set', 'SUCCEEDED'],
    ]);
    expect(done.nodes[1].output).toEqual({ shipped: 'widget' });

    const second = await ctx.graphql(DECIDE, { id: approval.id, approve: false });
    expect(second.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(second.errors?.[0]?.message).toContain('APPROVED');
    const stored = await ctx.db.prisma.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(stored).toMatchObject({ status: 'APPROVED', comment: 'looks good' });

    const { approvals: approved } = await ctx.graphqlOk(APPROVALS, { status: 'APPROVED' });
    expect(approved.map((a: { id: string }) => a.id)).toContain(approval.id);

    const unknown = await ctx.graphql(DECIDE, { id: '00000000-0000-4000-8000-000000000000', approve: true });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
