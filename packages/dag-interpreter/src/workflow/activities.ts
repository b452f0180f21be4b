/**
 * Activity proxies of the generic workflow. Workflow code imports only activity *types*.
 */
import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { DagActivities } from '../activity-contract.js';
import type { NodeSpec } from '../dag-schema.js';
import { parseDuration } from '../duration.js';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS } from '../heartbeat.js';
import { resolvedRetryPolicy } from '../retry-policy.js';

/**
 * Bookkeeping (Postgres writes) is idempotent and must eventually succeed, or the run's record
 * would be incomplete; so it retries without an attempt limit while the database is down.
 */
export const bookkeeping = proxyActivities<Pick<DagActivities, 'syncRun' | 'expireApproval' | 'prepareSubflow'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

/**
 * `set` nodes, rendered in the worker's process rather than the sandbox (see `node-types/set/activity.ts`). The work
 * is pure and each expression is cut off by JSONata at `MAX_EVALUATION_MS`, so a minute bounds even a
 * config with many templates; retries only cover a worker lost mid-evaluation (expression errors are
 * non-retryable).
 */
export const setEvaluator = proxyLocalActivities<Pick<DagActivities, 'evaluateSet'>>({
  startToCloseTimeout: '1m',
  retry: { maximumAttempts: 3, initialInterval: '1s' },
});

/** Start-to-close timeout of one attempt when a node sets no `timeout`: 5 minutes. */
export const DEFAULT_NODE_TIMEOUT_MS = 5 * 60_000;
/**
 * Maps a node's (or a compensation's) `retry`, `timeout` and `heartbeatTimeout` onto Temporal activity options
 * (durations in ms). The heartbeat timeout (default `DEFAULT_HEARTBEAT_TIMEOUT_MS`) is capped by the
 * start-to-close timeout, past which it could never fire.
 */
export function nodeActivityOptions(node: Pick<NodeSpec, 'retry' | 'timeout'> & { heartbeatTimeout?: string }): ActivityOptions {
  const retry = resolvedRetryPolicy(node);
  const startToCloseMs = node.timeout ? parseDuration(node.timeout) : DEFAULT_NODE_TIMEOUT_MS;
  const heartbeatMs = node.heartbeatTimeout ? parseDuration(node.heartbeatTimeout) : DEFAULT_HEARTBEAT_TIMEOUT_MS;
  return {
    startToCloseTimeout: startToCloseMs,
    heartbeatTimeout: Math.min(heartbeatMs, startToCloseMs),
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      nonRetryableErrorTypes: retry.nonRetryableErrorTypes,
    },
  };
}

/**
 * The `executeNode` activity with this node's options. Options differ per node, and the
 * TypeScript SDK binds options to a proxy, so each side-effecting node gets its own proxy.
 */
export function nodeExecutor(node: Pick<NodeSpec, 'retry' | 'timeout' | 'heartbeatTimeout'>): Pick<DagActivities, 'executeNode'> {
  return proxyActivities<Pick<DagActivities, 'executeNode'>>(nodeActivityOptions(node));
}

/** The `agent` node's activities (`agentTurn`, `invokeTool`) with the node's retry policy and timeout. */
export function agentExecutor(node: NodeSpec): Pick<DagActivities, 'agentTurn' | 'invokeTool'> {
  return proxyActivities<Pick<DagActivities, 'agentTurn' | 'invokeTool'>>(nodeActivityOptions(node));
}
