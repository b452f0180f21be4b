import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_DECISION_SIGNAL, type ApprovalDecision } from '@trellis/dag-interpreter';
import { eventually } from '@trellis/test-support';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => harness?.close());

const gated = (approval: Record<string, unknown>) => ({
  nodes: [
    { id: 'summary', type: 'set', config: { value: { count: 3 } } },
    { id: 'gate', type: 'approval', config: { message: 'Publish {{ nodes.summary.output.count }} items?', ...approval } },
    { id: 'publish', type: 'set', config: { value: 'published' } },
  ],
  edges: [
    { from: 'summary', to: 'gate' },
    { from: 'gate', to: 'publish', condition: 'nodes.gate.output.approved' },
  ],
  output: '{ "gate": nodes.gate.output, "publish": nodes.publish.status }',
});

/** Waits for the run's pending approval and returns it (with the run WAITING). */
async function pendingApproval(runId: string) {
  return eventually(async () => {
    const run = await harness.db.prisma.run.findUnique({ where: { id: runId } });
    const approval = await harness.db.prisma.approval.findFirst({ where: { runId } });
    return run?.status === 'WAITING' && approval ? approval : undefined;
  });
}

/** What the API's decideApproval does: the conditional update, then the signal. */
async function decide(runId: string, approvalId: string, approved: boolean, comment: string) {
  const decidedAt = new Date();
  const { count } = await harness.db.prisma.approval.updateMany({
    where: { id: approvalId, status: 'PENDING' },
    data: { status: approved ? 'APPROVED' : 'REJECTED', comment, decidedAt },
  });
  expect(count).toBe(1);
  const decision: ApprovalDecision = { approvalId, nodeId: 'gate', approved, comment, decidedAt: decidedAt.toISOString() };
  await harness.client.workflow.getHandle(runId).signal(APPROVAL_DECISION_SIGNAL, decision);
}

describe('approval node', () => {
  it('waits, then continues when approved', async () => {
    const { runId, result } = await harness.start(gated({ timeout: '1h' }));
    const approval = await pendingApproval(runId);
    expect(approval.message).toBe('Publish 3 items?');
    expect(approval.status).toBe('PENDING');
    expect(approval.dueAt!.getTime() - approval.createdAt.getTime()).toBeGreaterThan(3_500_000);
    expect((await nodeRows(harness, runId)).gate.status).toBe('WAITING');

    await decide(runId, approval.id, true, 'ship it');
    const { output } = await result;
    expect(output).toMatchObject({ gate: { approved: true, comment: 'ship it' }, publish: 'SUCCEEDED' });
    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('SUCCEEDED');
  });

  it('skips the guarded branch when rejected', async () => {
    const { runId, result } = await harness.start(gated({}));
    const approval = await pendingApproval(runId);
    await decide(runId, approval.id, false, 'not today');
    const { output } = await result;
    expect(output).toMatchObject({ gate: { approved: false, comment: 'not today' }, publish: 'SKIPPED' });
  });

  it('applies onTimeout when nobody decides in time', async () => {
    const rejected = await harness.run(gated({ timeout: '1s', onTimeout: 'reject' }));
    expect(rejected.output).toMatchObject({ gate: { approved: false, timedOut: true }, publish: 'SKIPPED' });
    const approved = await harness.run(gated({ timeout: '1s', onTimeout: 'approve' }));
    expect(approved.output).toMatchObject({ gate: { approved: true, timedOut: true }, publish: 'SUCCEEDED' });
    const failed = await harness.run(gated({ timeout: '1s', onTimeout: 'fail' }));
    expect(failed.failure?.cause?.message).toContain('approval timed out');

    for (const runId of [rejected.runId, approved.runId, failed.runId]) {
      const approval = await harness.db.prisma.approval.findFirstOrThrow({ where: { runId } });
      expect(approval.status).toBe('TIMED_OUT');
    }
    const failedRun = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: failed.runId } });
    expect(failedRun.status).toBe('FAILED');
    expect(failedRun.error).toMatchObject({ nodeId: 'gate', type: 'ApprovalTimeout' });
  });

  it('lets a decision stored before the timeout win over the timeout', async () => {
    const { runId, result } = await harness.start(gated({ timeout: '2s', onTimeout: 'reject' }));
    const approval = await pendingApproval(runId);
    // Decided in Postgres, but the signal never arrives (as if the API crashed after committing).
    await harness.db.prisma.approval.update({
      where: { id: approval.id },
      data: { status: 'APPROVED', comment: 'late signal', decidedAt: new Date() },
    });
    const { output } = await result;
    expect(output).toMatchObject({ gate: { approved: true, comment: 'late signal' }, publish: 'SUCCEEDED' });
  });
});
