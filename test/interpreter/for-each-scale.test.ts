/**
 * The scale requirement: a 10,000-item forEach completes without reaching Temporal's history
 * limits and keeps at most `concurrency` items in flight. Each item makes one real HTTP call.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountingServer, startCountingServer } from '@trellis/test-support';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
let server: CountingServer;
beforeAll(async () => {
  server = await startCountingServer(0);
  harness = await createHarness({ egressAllow: [server.url] });
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
});

const ITEMS = 10_000;
const CONCURRENCY = 50;

describe('forEach at scale', () => {
  it(`runs ${ITEMS} items, ${CONCURRENCY} at a time, continuing the loop as new`, { timeout: 600_000 }, async () => {
    const started = Date.now();
    const { runId, output, failure } = await harness.run({
      nodes: [
        {
          id: 'loop',
          type: 'forEach',
          config: {
            items: `[0..${ITEMS - 1}]`,
            concurrency: CONCURRENCY,
            nodes: [{ id: 'double', type: 'http', config: { method: 'POST', url: `${server.url}/double`, body: { value: '{{ input.item }}' } } }],
            output: 'nodes.double.output.body.value',
          },
        },
      ],
      edges: [],
      output: '$count(nodes.loop.output)',
    });
    const elapsed = Date.now() - started;
    expect(failure).toBeUndefined();
    expect(output).toBe(ITEMS);
    expect(server.served).toBe(ITEMS);
    expect(server.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);

    const rows = await nodeRows(harness, runId);
    const results = rows.loop.output as number[];
    expect(results).toHaveLength(ITEMS);
    expect(results.every((value, index) => value === index * 2)).toBe(true);

    // The run's own history stays tiny; the loop's executions each stay under Temporal's 10,240-event warning.
    const parentEvents = (await harness.client.workflow.getHandle(runId).fetchHistory()).events ?? [];
    expect(parentEvents.length).toBeLessThan(60);
    const loop = harness.client.workflow.getHandle(`${runId}-loop`);
    let executions = 0;
    let runIdOfExecution: string | undefined = (await loop.describe()).runId;
    // Walk back from the last execution through the chain of continue-as-new.
    while (runIdOfExecution) {
      const history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>> = await harness.client.workflow.getHandle(`${runId}-loop`, runIdOfExecution).fetchHistory();
      const events = history.events ?? [];
      expect(events.length).toBeLessThan(10_240);
      executions += 1;
      const started = events[0]?.workflowExecutionStartedEventAttributes;
      runIdOfExecution = started?.continuedExecutionRunId || undefined;
    }
    expect(executions).toBeGreaterThan(1);
    console.log(`forEach ${ITEMS} items: ${elapsed} ms, ${executions} loop executions, max in flight ${server.maxInFlight}`);
  });
});
