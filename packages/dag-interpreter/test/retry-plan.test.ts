import { describe, expect, it } from 'vitest';
import { planRetry, type Dag, type RecordedNode } from '@trellis/dag-interpreter';

const dag = {
  nodes: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, type: 'set', config: { value: id } })),
  // a → b → c → d, and a → e
  edges: [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
    { from: 'c', to: 'd' },
    { from: 'a', to: 'e' },
  ],
} as Dag;

const recorded = (statuses: Record<string, RecordedNode['status']>, compensated: string[] = []): RecordedNode[] =>
  Object.entries(statuses).map(([nodeId, status]) => ({
    nodeId,
    status,
    output: status === 'SUCCEEDED' ? `out-${nodeId}` : null,
    attempts: 1,
    compensation: compensated.includes(nodeId) ? { status: 'SUCCEEDED' } : null,
  }));

describe('planRetry', () => {
  it('reruns from the failed node onward and reuses every other succeeded node', () => {
    const plan = planRetry(dag, recorded({ a: 'SUCCEEDED', b: 'SUCCEEDED', c: 'FAILED', d: 'PENDING', e: 'SUCCEEDED' }));
    expect(plan.rerun).toEqual(['c', 'd']);
    expect(plan.reuse).toEqual({ a: { output: 'out-a', attempts: 1 }, b: { output: 'out-b', attempts: 1 }, e: { output: 'out-e', attempts: 1 } });
  });

  it('reruns from fromNode even when it succeeded', () => {
    const plan = planRetry(dag, recorded({ a: 'SUCCEEDED', b: 'SUCCEEDED', c: 'FAILED', d: 'PENDING', e: 'SUCCEEDED' }), 'b');
    expect(plan.rerun).toEqual(['b', 'c', 'd']);
    expect(Object.keys(plan.reuse)).toEqual(['a', 'e']);
  });

  it('does not reuse a node whose compensation undid it, nor what depends on it', () => {
    const plan = planRetry(dag, recorded({ a: 'SUCCEEDED', b: 'SUCCEEDED', c: 'FAILED', d: 'PENDING', e: 'SUCCEEDED' }, ['a']));
    expect(plan.reuse).toEqual({});
    expect(plan.rerun).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('rejects an unknown fromNode', () => {
    expect(() => planRetry(dag, [], 'zzz')).toThrow(RangeError);
  });
});
