/**
 * Heartbeats of activity nodes: every attempt of an `http`, `llm`, `code` or `agent` node heartbeats while it
 * runs, so an attempt on a worker that died is retried after the heartbeat timeout rather than the whole
 * start-to-close timeout, and a cancellation reaches a running attempt at its next heartbeat. Workflow-safe.
 */

/** Heartbeat timeout of a node that sets no `heartbeatTimeout`: 15 s. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 15_000;

/** Shortest `heartbeatTimeout` accepted: 1 s, so heartbeats (a third of it apart) stay a few hundred ms apart at most. */
export const MIN_HEARTBEAT_TIMEOUT_MS = 1_000;

/** How often an attempt heartbeats under `heartbeatTimeoutMs`: a third of it, so two may be lost before the timeout. */
export function heartbeatIntervalMs(heartbeatTimeoutMs: number): number {
  return Math.max(100, Math.floor(heartbeatTimeoutMs / 3));
}
