/**
 * A node's retry policy with Trellis's defaults filled in, and the wait Temporal leaves before each retry.
 * Pure (no SDK imports), so the dashboard computes the same countdown the worker's Temporal server keeps.
 */
import type { NodeSpec } from './dag-schema.js';
import { parseDuration } from './duration.js';

/**
 * Attempts when a node sets no `retry.maximumAttempts`. Temporal's own default is unlimited,
 * which would leave a run hanging on a permanently broken endpoint; n8n and Dify default to a few.
 */
export const DEFAULT_MAXIMUM_ATTEMPTS = 3;
/** Wait before the first retry when a node sets no `retry.initialInterval` (Temporal's default, 1 s). */
export const DEFAULT_INITIAL_INTERVAL_MS = 1_000;
/** Growth of the wait per retry when a node sets no `retry.backoffCoefficient` (Temporal's default). */
export const DEFAULT_BACKOFF_COEFFICIENT = 2;
/** Temporal caps the wait at 100 × `initialInterval` when `maximumInterval` is unset. */
const DEFAULT_MAXIMUM_INTERVAL_FACTOR = 100;

/** A node's retry policy as Temporal applies it (durations in ms; `maximumIntervalMs` undefined: Temporal's cap). */
export interface ResolvedRetryPolicy {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number | undefined;
  nonRetryableErrorTypes: string[] | undefined;
}

/**
 * The node's `retry` with the defaults filled in.
 *
 * @throws RangeError for a malformed duration (validation refuses those before a DAG is stored)
 */
export function resolvedRetryPolicy(node: Pick<NodeSpec, 'retry'>): ResolvedRetryPolicy {
  const retry = node.retry ?? {};
  return {
    maximumAttempts: retry.maximumAttempts ?? DEFAULT_MAXIMUM_ATTEMPTS,
    initialIntervalMs: retry.initialInterval ? parseDuration(retry.initialInterval) : DEFAULT_INITIAL_INTERVAL_MS,
    backoffCoefficient: retry.backoffCoefficient ?? DEFAULT_BACKOFF_COEFFICIENT,
    maximumIntervalMs: retry.maximumInterval ? parseDuration(retry.maximumInterval) : undefined,
    nonRetryableErrorTypes: retry.nonRetryableErrorTypes,
  };
}

/**
 * The wait (ms) Temporal leaves after failed attempt `attempt` (1-based) before the next one:
 * `initialInterval × backoffCoefficient^(attempt − 1)`, capped at `maximumInterval` (default 100 ×
 * `initialInterval`), as Temporal's retry policy documents; null when no attempt is left
 * (`maximumAttempts` 0 means unlimited).
 */
export function retryDelayMs(policy: ResolvedRetryPolicy, attempt: number): number | null {
  if (policy.maximumAttempts !== 0 && attempt >= policy.maximumAttempts) return null;
  const cap = policy.maximumIntervalMs ?? policy.initialIntervalMs * DEFAULT_MAXIMUM_INTERVAL_FACTOR;
  return Math.min(policy.initialIntervalMs * policy.backoffCoefficient ** (attempt - 1), cap);
}
