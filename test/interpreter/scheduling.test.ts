import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => harness?.close());

describe('scheduling', () => {
  it('skips a branch whose condition is false, propagates the skip, and still runs the join', async () => {
    const dag = {
      nodes: [
        { id: 'start', type: 'set', config: { value: { kind: 'b' } } },
        { id: 'left', type: 'set', config: { value: 'left ran' } },
        { id: 'leftTail', type: 'set', config: { value: 'after left' } },
        { id: 'right', type: 'set', config: { value: 'right ran' } },
        { id: 'join', type: 'set', config: { value: { left: '{{ nodes.leftTail.status }}', right: '{{ nodes.right.output }}' } } },
      ],
      edges: [
        { from: 'start', to: 'left', condition: "nodes.start.output.kind = 'a'" },
        { from: 'left', to: 'leftTail' },
        { from: 'start', to: 'right', condition: "nodes.start.output.kind = 'b'" },
        { from: 'leftTail', to: 'join' },
        { from: 'right', to: 'join' },
      ],
    };
    const { runId, output, failure } = await harness.run(dag);
    expect(failure).toBeUndefined();
    expect(output).toEqual({ join: { left: 'SKIPPED', right: 'right ran' } });

    const rows = await nodeRows(harness, runId);
    expect(rows.left.status).toBe('SKIPPED');
    expect(rows.leftTail.status).toBe('SKIPPED');
    expect(rows.right.status).toBe('SUCCEEDED');
    expect(rows.join.status).toBe('SUCCEEDED');
    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual(output);
    expect(run.finishedAt).not.toBeNull();
  });

  it('runs independent branches in parallel: two 1 s delays overlap and finish in about 1 s', async () => {
    const dag = {
      nodes: [
        { id: 'a', type: 'delay', config: { duration: '1s' } },
        { id: 'b', type: 'delay', config: { duration: '1s' } },
        { id: 'done', type: 'set', config: { value: true } },
      ],
      edges: [
        { from: 'a', to: 'done' },
        { from: 'b', to: 'done' },
      ],
    };
    const { runId, failure } = await harness.run(dag);
    expect(failure).toBeUndefined();
    const rows = await nodeRows(harness, runId);
    const aStart = rows.a.startedAt!.getTime();
    const bStart = rows.b.startedAt!.getTime();
    const aEnd = rows.a.finishedAt!.getTime();
    const bEnd = rows.b.finishedAt!.getTime();
    // Both timers were running at the same time (workflow time, as recorded by the run).
    expect(Math.max(aStart, bStart)).toBeLessThan(Math.min(aEnd, bEnd));
    expect(aEnd - aStart).toBeGreaterThanOrEqual(1_000);
    // Sequential delays would span at least 2 s.
    expect(Math.max(aEnd, bEnd) - Math.min(aStart, bStart)).toBeLessThan(2_000);
  });

  it('uses the output expression when given, else the succeeded sinks keyed by id', async () => {
    const withExpression = await harness.run(
      {
        nodes: [{ id: 'x', type: 'set', config: { value: { n: 2 } } }],
        output: 'nodes.x.output.n * 21',
      },
      {},
    );
    expect(withExpression.output).toBe(42);
    const sinks = await harness.run({
      nodes: [
        { id: 'root', type: 'set', config: { value: 1 } },
        { id: 'one', type: 'set', config: { value: 'one' } },
        { id: 'two', type: 'set', config: { value: 'two' } },
      ],
      edges: [
        { from: 'root', to: 'one' },
        { from: 'root', to: 'two', condition: 'false' },
      ],
    });
    expect(sinks.output).toEqual({ one: 'one' });
  });
});
