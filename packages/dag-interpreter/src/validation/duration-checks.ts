/** Durations of activity nodes: `timeout`, `heartbeatTimeout` and the retry policy's intervals. */
import { DURATION_PATTERN } from '../dag-schema.js';
import { MIN_HEARTBEAT_TIMEOUT_MS } from '../heartbeat.js';
import { parseDuration } from '../duration.js';
import type { NodeView } from './dag-views.js';
import { formatPath, type PathSegment, type ValidationIssue } from './issues.js';

/** Temporal's default `initialInterval` (1 s), used when a retry policy sets only `maximumInterval`. */
const TEMPORAL_DEFAULT_INITIAL_INTERVAL_MS = 1_000;

/**
 * Reports durations Temporal would reject when scheduling the activity: a zero or oversized `timeout`, a
 * `heartbeatTimeout` under {@link MIN_HEARTBEAT_TIMEOUT_MS},
 * a zero `retry.initialInterval` or `retry.maximumInterval`, and a `maximumInterval` below the initial
 * interval (the same rules as `compileRetryPolicy` in `@temporalio/common`).
 * Strings that are not durations at all are shape errors, reported by the DAG schema.
 */
export function checkNodeDurations(nodes: readonly NodeView[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    const at = (...segments: PathSegment[]) => formatPath(['nodes', node.index, ...segments]);
    const timeout = readDuration(node.timeout, at('timeout'), issues);
    if (timeout === 0) issues.push({ path: at('timeout'), message: 'must be greater than 0' });
    const heartbeat = readDuration(node.heartbeatTimeout, at('heartbeatTimeout'), issues);
    if (heartbeat !== undefined && heartbeat < MIN_HEARTBEAT_TIMEOUT_MS) {
      issues.push({ path: at('heartbeatTimeout'), message: `must be at least ${MIN_HEARTBEAT_TIMEOUT_MS / 1000}s (an activity heartbeats every third of it)` });
    }

    const retry = node.retry;
    if (!retry) continue;
    const initial = readDuration(retry.initialInterval, at('retry', 'initialInterval'), issues);
    const maximum = readDuration(retry.maximumInterval, at('retry', 'maximumInterval'), issues);
    if (initial === 0) issues.push({ path: at('retry', 'initialInterval'), message: 'must be greater than 0' });
    if (maximum === 0) issues.push({ path: at('retry', 'maximumInterval'), message: 'must be greater than 0' });
    const effectiveInitial = initial ?? TEMPORAL_DEFAULT_INITIAL_INTERVAL_MS;
    if (maximum !== undefined && maximum > 0 && maximum < effectiveInitial) {
      const initialText = typeof retry.initialInterval === 'string' ? `"${retry.initialInterval}"` : 'the default of 1s';
      issues.push({ path: at('retry', 'maximumInterval'), message: `must not be less than initialInterval (${initialText})` });
    }
  }
  return issues;
}

/** Milliseconds of a well-formed duration; `undefined` when absent or malformed (left to the schema). */
function readDuration(value: unknown, path: string, issues: ValidationIssue[]): number | undefined {
  if (typeof value !== 'string' || !DURATION_PATTERN.test(value)) return undefined;
  try {
    return parseDuration(value);
  } catch (error) {
    issues.push({ path, message: (error as RangeError).message });
    return undefined;
  }
}
