import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  builtInConnectors,
  createConnectorActivities,
  createConnectorRegistry,
  defineConnector,
  type ConnectorActivities,
  type ConnectorContext,
} from '../src/index.js';
import { startHttpFixture, type HttpFixture } from '@trellis/test-support';
import { activityEnvironment, allowFixture, connectorTestRoutes, rejectionOf } from './test-helpers.js';

let server: HttpFixture;
let activities: ConnectorActivities;
beforeAll(async () => {
  server = await startHttpFixture({ fallback: connectorTestRoutes });
  activities = createConnectorActivities({ registry, env: { SECRET: 's3cret', ...allowFixture(server.url) } });
});
afterAll(async () => {
  await server.close();
});

/** Records the context it was given, throws what it is told to, or waits for cancellation. */
const probe = defineConnector({
  type: 'probe',
  description: 'Test connector.',
  configSchema: z.strictObject({ mode: z.enum(['context', 'throw', 'wait']) }),
  async execute(config, context: ConnectorContext) {
    if (config.mode === 'throw') throw new RangeError('boom');
    if (config.mode === 'wait') {
      context.heartbeat({ waiting: true });
      // The test cancels from the heartbeat listener, so the signal may already be aborted here.
      await new Promise((_, reject) => {
        if (context.signal.aborted) reject(context.signal.reason);
        context.signal.addEventListener('abort', () => reject(context.signal.reason));
      });
    }
    return { runId: context.runId, nodeId: context.nodeId, attempt: context.attempt, secret: context.env.SECRET };
  },
});

const registry = createConnectorRegistry([...builtInConnectors, probe]);


const failureOf = (promise: Promise<unknown>): Promise<ApplicationFailure> => rejectionOf(promise, ApplicationFailure);

describe('executeNode activity', () => {
  it('returns the output and the attempt, giving the connector its context', async () => {
    const env = activityEnvironment({ attempt: 3 });
    const result = await env.run(activities.executeNode, { runId: 'r1', nodeId: 'n1', type: 'probe', config: { mode: 'context' } });
    expect(result).toEqual({ output: { runId: 'r1', nodeId: 'n1', attempt: 3, secret: 's3cret' }, attempt: 3 });
  });

  it('runs the http connector end to end', async () => {
    const env = activityEnvironment({ attempt: 1 });
    const result = (await env.run(activities.executeNode, {
      runId: 'r1',
      nodeId: 'fetch',
      type: 'http',
      config: { url: `${server.url}/echo`, query: { a: 1 } },
    })) as { output: unknown; attempt: number };
    expect(result.attempt).toBe(1);
    expect(result.output).toMatchObject({ status: 200, body: { method: 'GET', url: '/echo?a=1' } });
  });

  it('turns a 404 into a non-retryable HttpStatusError failure with the attempt and status in details', async () => {
    const env = activityEnvironment({ attempt: 2 });
    const failure = await failureOf(
      env.run(activities.executeNode, { runId: 'r1', nodeId: 'fetch', type: 'http', config: { url: `${server.url}/status/404` } }),
    );
    expect(failure.type).toBe('HttpStatusError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('HTTP 404');
    expect(failure.details).toEqual([{ attempt: 2, data: { status: 404, statusText: 'Not Found', body: { error: 'status 404 as asked' } } }]);
  });

  it('keeps 503 retryable with the server’s retry delay', async () => {
    const env = activityEnvironment({ attempt: 1 });
    const failure = await failureOf(
      env.run(activities.executeNode, {
        runId: 'r1',
        nodeId: 'fetch',
        type: 'http',
        config: { url: `${server.url}/status/503`, query: { retryAfter: 2 } },
      }),
    );
    expect(failure.type).toBe('HttpStatusError');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(2000);
  });

  it('rejects invalid config with a non-retryable ConfigError listing each path', async () => {
    const env = activityEnvironment();
    const failure = await failureOf(
      env.run(activities.executeNode, { runId: 'r1', nodeId: 'fetch', type: 'http', config: { url: 'nope', method: 'FETCH' } }),
    );
    expect(failure.type).toBe('ConfigError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('config.url: ');
    expect(failure.message).toContain('config.method: ');
    expect(failure.details).toEqual([{ attempt: 1, data: { issues: expect.arrayContaining([expect.objectContaining({ path: 'config.url' })]) } }]);
  });

  it('reports an unknown connector type as non-retryable', async () => {
    const env = activityEnvironment();
    const failure = await failureOf(env.run(activities.executeNode, { runId: 'r1', nodeId: 'x', type: 'ftp', config: {} }));
    expect(failure.type).toBe('UnknownConnectorError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('http, llm, probe');
  });

  it('treats unclassified exceptions as retryable failures of type Error', async () => {
    const env = activityEnvironment({ attempt: 4 });
    const failure = await failureOf(env.run(activities.executeNode, { runId: 'r1', nodeId: 'x', type: 'probe', config: { mode: 'throw' } }));
    expect(failure.type).toBe('Error');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe('boom');
    expect(failure.details).toEqual([{ attempt: 4 }]);
  });

  it('heartbeats through the context and rethrows Temporal cancellation unchanged', async () => {
    const env = activityEnvironment();
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => {
      heartbeats.push(details);
      env.cancel();
    });
    const error = await env.run(activities.executeNode, { runId: 'r1', nodeId: 'x', type: 'probe', config: { mode: 'wait' } }).catch((e: unknown) => e);
    expect(heartbeats).toEqual([{ waiting: true }]);
    expect(error).toBeInstanceOf(CancelledFailure);
  });
});
