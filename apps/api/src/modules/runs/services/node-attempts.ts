import type { NodeAttemptType } from '../dtos/node-attempt.type.js';

/** The run events a node's attempts are read from. */
export const ATTEMPT_EVENT_TYPES = ['node.started', 'node.retrying', 'node.attempt_failed', 'node.succeeded', 'node.failed'] as const;

/** One stored run event of a node, in sequence order. */
export interface AttemptEvent {
  type: string;
  createdAt: Date;
  data: unknown;
}

/**
 * Folds a node's events into its attempts, by attempt number rather than by order (the workflow records
 * `node.started` in a batch that may commit after the first attempt already failed): `node.retrying
 * { attempt }` starts that attempt, `node.attempt_failed { attempt, error }` ends it with its error, and
 * `node.succeeded` or `node.failed` ends the last one. Attempt 1 starts at `firstStartedAt` and the last
 * one ends at `lastFinishedAt` when given (the node row's times, taken by the workflow itself), else at
 * `node.started` and the final event. The time between one attempt's end and the next one's start is
 * Temporal's retry backoff.
 *
 * @param firstStartedAt the node's `startedAt`, when known
 * @param lastFinishedAt the node's `finishedAt`, when known
 */
export function attemptsFromEvents(
  events: readonly AttemptEvent[],
  firstStartedAt: Date | null = null,
  lastFinishedAt: Date | null = null,
): NodeAttemptType[] {
  const byNumber = new Map<number, { startedAt: Date | null; finishedAt: Date | null; error: string | null }>();
  const entry = (attempt: number) => {
    let found = byNumber.get(attempt);
    if (!found) byNumber.set(attempt, (found = { startedAt: null, finishedAt: null, error: null }));
    return found;
  };
  let final: AttemptEvent | undefined;
  for (const event of events) {
    const data = (event.data ?? {}) as { attempt?: unknown; error?: unknown };
    const attempt = typeof data.attempt === 'number' ? data.attempt : 1;
    if (event.type === 'node.started') entry(1).startedAt ??= firstStartedAt ?? event.createdAt;
    else if (event.type === 'node.retrying') entry(attempt).startedAt = event.createdAt;
    else if (event.type === 'node.attempt_failed') {
      const failed = entry(attempt);
      failed.finishedAt = event.createdAt;
      failed.error = typeof data.error === 'string' ? data.error : null;
    } else final = event;
  }
  if (byNumber.size === 0 && final) entry(1);
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);
  return numbers.map((attempt, index) => {
    const current = byNumber.get(attempt)!;
    const previous = index > 0 ? byNumber.get(numbers[index - 1])! : undefined;
    const next = index < numbers.length - 1 ? byNumber.get(numbers[index + 1])! : undefined;
    const startedAt = current.startedAt ?? (attempt === 1 ? firstStartedAt : null) ?? previous?.finishedAt ?? current.finishedAt ?? final?.createdAt ?? new Date(0);
    let { finishedAt, error } = current;
    if (finishedAt === null) finishedAt = next ? next.startedAt : final ? (lastFinishedAt ?? final.createdAt) : null;
    if (!next && final?.type === 'node.failed' && error === null) {
      const finalError = (final.data as { error?: unknown } | null)?.error;
      error = typeof finalError === 'string' ? finalError : null;
    }
    return { attempt, startedAt, finishedAt, error };
  });
}
