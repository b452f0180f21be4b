import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountingServer, startCountingServer } from '@trellis/test-support';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
let server: CountingServer;
beforeAll(async () => {
  server = await startCountingServer(40);
  harness = await createHarness({ egressAllow: [server.url] });
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
});

/** A DAG whose `loop` doubles each item through the counting server. */
const doublingLoop = (items: string, extra: Record<string, unknown> = {}) => ({
  nodes: [
    { id: 'list', type: 'set', config: { value: '{{ input.numbers }}' } },
    {
      id: 'loop',
      type: 'forEach',
      config: {
        items,
        nodes: [
          { id: 'double', type: 'http', config: { method: 'POST', url: `${server.url}/double`, body: { value: '{{ input.item }}' } }, retry: { maximumAttempts: 1 } },
          { id: 'pack', type: 'set', config: { value: { index: '{{ input.index }}', doubled: '{{ nodes.double.output.body.value }}' } } },
        ],
        edges: [{ from: 'double', to: 'pack' }],
        output: 'nodes.pack.output',
        ...extra,
      },
    },
  ],
  edges: [{ from: 'list', to: 'loop' }],
  output: 'nodes.loop.output',
});

describe('forEach', () => {
  it('runs the inline body per item with { item, index }, at most `concurrency` at once, results in item order', async () => {
    const numbers = Array.from({ length: 12 }, (_, i) => 12 - i);
    const before = server.served;
    const { runId, output, failure } = await harness.run(doublingLoop('nodes.list.output', { concurrency: 3 }), { numbers });
    expect(failure).toBeUndefined();
    expect(output).toEqual(numbers.map((n, index) => ({ index, doubled: n * 2 })));
    expect(server.served - before).toBe(12);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
    expect(server.maxInFlight).toBeGreaterThan(1);
    const rows = await nodeRows(harness, runId);
    expect(rows.loop.status).toBe('SUCCEEDED');
  });

  it('outputs [] for no items and wraps a single value as one item', async () => {
    expect((await harness.run(doublingLoop('nodes.list.output[$ > 100]'), { numbers: [1, 2] })).output).toEqual([]);
    expect((await harness.run(doublingLoop('nodes.list.output[0]'), { numbers: [7, 8] })).output).toEqual([{ index: 0, doubled: 14 }]);
  });

  it('failFast (default) fails the node at the first failed item and names it', async () => {
    server.failFor.add(3);
    try {
      const { runId, failure } = await harness.run(doublingLoop('nodes.list.output', { concurrency: 1 }), { numbers: [1, 2, 3, 4, 5] });
      expect(failure?.cause?.message).toMatch(/node "loop" failed: forEach "loop" item 2 failed at node "double": .*400/);
      expect(server.values.slice(-3)).toEqual([1, 2, 3]);
      const rows = await nodeRows(harness, runId);
      expect(rows.loop.status).toBe('FAILED');
    } finally {
      server.failFor.clear();
    }
  });

  it('failFast: false runs every item, then fails with a summary', async () => {
    server.failFor.add(2);
    server.failFor.add(4);
    try {
      const before = server.served;
      const { failure } = await harness.run(doublingLoop('nodes.list.output', { concurrency: 2, failFast: false }), { numbers: [1, 2, 3, 4, 5] });
      expect(server.served - before).toBe(5);
      expect(failure?.cause?.message).toMatch(/2 of 5 items of forEach "loop" failed; item 1: /);
    } finally {
      server.failFor.clear();
    }
  });

  it('runs another agent as the body', async () => {
    const body = await harness.db.prisma.agent.create({ data: { name: `body-${Date.now()}` } });
    const version = await harness.db.prisma.agentVersion.create({
      data: {
        agentId: body.id,
        version: 1,
        dag: { nodes: [{ id: 'greet', type: 'set', config: { value: 'hello {{ input.item }} #{{ input.index }}' } }], edges: [] },
      },
    });
    await harness.db.prisma.agent.update({ where: { id: body.id }, data: { liveVersionId: version.id } });
    const { output } = await harness.run({
      nodes: [{ id: 'loop', type: 'forEach', config: { items: '["ann", "bob"]', agent: { id: body.id } } }],
      edges: [],
    });
    expect(output).toEqual({ loop: [{ greet: 'hello ann #0' }, { greet: 'hello bob #1' }] });
  });
});
