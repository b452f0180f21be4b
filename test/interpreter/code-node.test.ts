import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => harness?.close());

describe('code node through the worker', () => {
  it('runs the function body with { input, nodes } and returns its JSON value', async () => {
    const { output, failure } = await harness.run(
      {
        nodes: [
          { id: 'prices', type: 'set', config: { value: [3, 4, 5] } },
          {
            id: 'total',
            type: 'code',
            config: { source: 'const sum = nodes.prices.output.reduce((a, b) => a + b, 0);\nreturn { sum, currency: input.currency };' },
          },
        ],
        edges: [{ from: 'prices', to: 'total' }],
        output: 'nodes.total.output',
      },
      { currency: 'EUR' },
    );
    expect(failure).toBeUndefined();
    expect(output).toEqual({ sum: 12, currency: 'EUR' });
  });

  it('kills an infinite loop at the time limit, fails the node without retrying, and the worker keeps serving', async () => {
    const started = Date.now();
    const { runId, failure } = await harness.run({
      nodes: [{ id: 'spin', type: 'code', config: { source: 'while (true) {}', timeout: '500ms' } }],
      edges: [],
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(failure?.cause?.message).toMatch(/node "spin" failed/);
    const rows = await nodeRows(harness, runId);
    expect(rows.spin.error).toMatchObject({ type: 'CodeTimeout', attempts: 1 });

    const { output } = await harness.run({
      nodes: [{ id: 'probe', type: 'code', config: { source: 'return [typeof require, typeof process, typeof fetch];' } }],
      edges: [],
    });
    expect(output).toEqual({ probe: ['undefined', 'undefined', 'undefined'] });
  });
});
