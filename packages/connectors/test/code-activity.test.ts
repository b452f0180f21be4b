import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createConnectorActivities, createConnectorRegistry } from '../src/index.js';
import { activityEnvironment, rejectionOf } from './test-helpers.js';

const activities = createConnectorActivities({ registry: createConnectorRegistry(), env: {} });


const failureOf = (promise: Promise<unknown>): Promise<ApplicationFailure> => rejectionOf(promise, ApplicationFailure);

describe('code node through the executeNode activity', () => {
  it('hands the request context to the code and returns its result', async () => {
    const env = activityEnvironment({ attempt: 2 });
    const result = await env.run(activities.executeNode, {
      runId: 'r1',
      nodeId: 'score',
      type: 'code',
      config: { source: 'return { score: input.base + nodes.fetch.output.bonus, from: nodes.fetch.status };' },
      context: { input: { base: 40 }, nodes: { fetch: { output: { bonus: 2 }, status: 'SUCCEEDED' } } },
    });
    expect(result).toEqual({ output: { score: 42, from: 'SUCCEEDED' }, attempt: 2 });
  });

  it('fails a looping node with a non-retryable CodeTimeout carrying the attempt', async () => {
    const env = activityEnvironment({ attempt: 1 });
    const failure = await failureOf(
      env.run(activities.executeNode, { runId: 'r1', nodeId: 'spin', type: 'code', config: { source: 'for (;;) {}', timeout: '200ms' } }),
    );
    expect(failure.type).toBe('CodeTimeout');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('code ran longer than 200 ms');
    expect(failure.details).toEqual([{ attempt: 1, data: { timeoutMs: 200, killed: false, logs: [] } }]);
  });

  it('rejects an invalid config before starting a sandbox', async () => {
    const env = activityEnvironment();
    const failure = await failureOf(env.run(activities.executeNode, { runId: 'r1', nodeId: 'c', type: 'code', config: { source: 'return 1', timeout: '1m' } }));
    expect(failure.type).toBe('ConfigError');
    expect(failure.message).toContain('config.timeout');
  });

  it('rethrows Temporal cancellation promptly while the code loops', async () => {
    const env = activityEnvironment();
    setTimeout(() => env.cancel(), 700);
    const started = performance.now();
    const error = await env
      .run(activities.executeNode, { runId: 'r1', nodeId: 'spin', type: 'code', config: { source: 'while (true) {}', timeout: '30s' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledFailure);
    expect(performance.now() - started).toBeLessThan(700 + 1000);
  });
});
