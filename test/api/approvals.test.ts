/**
 * Approvals without a worker: rows are inserted as the worker's `syncRun` stores them, and the run's
 * workflow exists on Temporal (started by the API) so signals are accepted.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestContext, setDag, startTestApi, TEST_API_KEY_DECIDER, terminateWorkflows } from './support/api-test-context.js';

const APPROVALS = `query ($status: ApprovalStatus) { approvals(status: $status) { id nodeId status message details comment decidedAt dueAt createdAt run { id } } }`;
const DECIDE = `mutation ($id: ID!, $approve: Boolean!, $comment: String) {
  decideApproval(id: $id, approve: $approve, comment: $comment) { id status comment decidedAt }
}`;

let ctx: ApiTestContext;
let agentId: string;
beforeAll(async () => {
  ctx = await startTestApi();
  const { createAgent } = await ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
    input: { name: 'approvals-agent', dag: setDag() },
  });
  agentId = createAgent.id;
});
afterAll(async () => {
  await ctx?.close();
});

async function startRun(): Promise<string> {
  const { startRun } = await ctx.graphqlOk(`mutation ($agentId: ID!) { startRun(agentId: $agentId) { id } }`, { agentId });
  return startRun.id;
}

async function openApproval(runId: string, fields: Record<string, unknown> = {}): Promise<string> {
  const id = randomUUID();
  await ctx.db.prisma.approval.create({ data: { id, runId, nodeId: 'answer', message: 'Go?', ...fields } });
  return id;
}

describe('approvals', () => {
  it('lists PENDING approvals by default, oldest first, and filters by status', async () => {
    const runA = await startRun();
    const runB = await startRun();
    const runC = await startRun();
    const newer = await openApproval(runA, { createdAt: new Date('2030-01-02T00:00:00Z') });
    const older = await openApproval(runB, { createdAt: new Date('2030-01-01T00:00:00Z'), dueAt: new Date('2030-01-03T00:00:00Z') });
    const timedOut = await openApproval(runC, { status: 'TIMED_OUT', decidedAt: new Date() });

    const { approvals } = await ctx.graphqlOk(APPROVALS);
    const ids = approvals.map((a: { id: string }) => a.id);
    expect(ids.indexOf(older)).toBeLessThan(ids.indexOf(newer));
    expect(ids).not.toContain(timedOut);
    expect(approvals.find((a: { id: string }) => a.id === older)).toEqual({
      id: older,
      nodeId: 'answer',
      status: 'PENDING',
      message: 'Go?',
      details: null,
      comment: null,
      decidedAt: null,
      dueAt: '2030-01-03T00:00:00.000Z',
      createdAt: '2030-01-01T00:00:00.000Z',
      run: { id: runB },
    });
    const { approvals: expired } = await ctx.graphqlOk(APPROVALS, { status: 'TIMED_OUT' });
    expect(expired.map((a: { id: string }) => a.id)).toEqual([timedOut]);
  });

  it('shows the details an agent tool call attaches, several approvals per node allowed', async () => {
    const run = await startRun();
    const details = { tool: 'refund', arguments: { orderId: 'A-17', amount: 12.5 } };
    const first = await openApproval(run, { details, createdAt: new Date('2031-01-01T00:00:00Z') });
    const second = await openApproval(run, { details: { tool: 'refund', arguments: { orderId: 'B-2' } }, createdAt: new Date('2031-01-02T00:00:00Z') });

    const { approvals } = await ctx.graphqlOk(APPROVALS);
    const ofRun = approvals.filter((a: { run: { id: string } }) => a.run.id === run);
    expect(ofRun.map((a: { id: string; nodeId: string; details: unknown }) => [a.id, a.nodeId, a.details])).toEqual([
      [first, 'answer', details],
      [second, 'answer', { tool: 'refund', arguments: { orderId: 'B-2' } }],
    ]);
  });

  it('records a decision once; a second decision or one on a timed-out approval is a CONFLICT naming the status', async () => {
    const runId = await startRun();
    const id = await openApproval(runId);
    const { decideApproval } = await ctx.graphqlOk(DECIDE, { id, approve: false, comment: 'not now' });
    expect(decideApproval).toMatchObject({ id, status: 'REJECTED', comment: 'not now' });
    expect(Date.now() - Date.parse(decideApproval.decidedAt)).toBeLessThan(60_000);

    const again = await ctx.graphql(DECIDE, { id, approve: true });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(again.errors?.[0]?.message).toContain('REJECTED');
    expect(await ctx.db.prisma.approval.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'REJECTED', comment: 'not now' });
    // One `approval.decided` event, from the recorded decision only.
    const events = await ctx.db.prisma.runEvent.findMany({ where: { runId, type: 'approval.decided' }, select: { nodeId: true, data: true } });
    expect(events).toEqual([{ nodeId: 'answer', data: { approvalId: id, status: 'REJECTED', decidedBy: TEST_API_KEY_DECIDER } }]);

    const expiredId = await openApproval(await startRun(), { status: 'TIMED_OUT' });
    const late = await ctx.graphql(DECIDE, { id: expiredId, approve: true });
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(late.errors?.[0]?.message).toContain('TIMED_OUT');
  });

  it('rolls the decision back when the run can no longer receive it', async () => {
    const runId = await startRun();
    const id = await openApproval(runId);
    await terminateWorkflows(ctx.temporalAddress, [runId]);
    const result = await ctx.graphql(DECIDE, { id, approve: true, comment: 'too late' });
    expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await ctx.db.prisma.approval.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'PENDING',
      comment: null,
      decidedAt: null,
    });
    // The `approval.decided` event was written in the same transaction, so it was rolled back too.
    expect(await ctx.db.prisma.runEvent.count({ where: { runId, type: 'approval.decided' } })).toBe(0);
  });

  it('reports unknown approvals as NOT_FOUND and malformed ids as BAD_USER_INPUT', async () => {
    const unknown = await ctx.graphql(DECIDE, { id: randomUUID(), approve: true });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await ctx.graphql(DECIDE, { id: 'abc', approve: true });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'id' }] });
  });
});
