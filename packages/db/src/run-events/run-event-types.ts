/**
 * The vocabulary of run events (`run_events` rows) and of the Postgres notification announcing them.
 */
import type { RunStatus } from '../generated/prisma/enums.js';

/** The `LISTEN`/`NOTIFY` channel on which every committed batch of run events is announced. */
export const RUN_EVENTS_CHANNEL = 'trellis_run_events';

/** Every event type, in the order they are documented. */
export const RUN_EVENT_TYPES = [
  'run.started',
  'run.succeeded',
  'run.failed',
  'run.cancelled',
  'node.started',
  'node.succeeded',
  'node.failed',
  'node.skipped',
  'node.retrying',
  'node.attempt_failed',
  'approval.requested',
  'approval.decided',
] as const;

/** One of {@link RUN_EVENT_TYPES}. */
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

/** Event types that end a run: nothing follows them. */
export const TERMINAL_RUN_EVENT_TYPES: ReadonlySet<RunEventType> = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);

/**
 * An event to append to a run. `data` holds small facts (statuses, attempt counts, error messages,
 * approval ids), never node outputs: events are replayed to every subscriber.
 */
export interface NewRunEvent {
  type: RunEventType;
  /** The node concerned, on `node.*` and `approval.*` events. */
  nodeId?: string | null;
  data?: Record<string, unknown>;
}

/**
 * The JSON payload of a {@link RUN_EVENTS_CHANNEL} notification. It is only a hint that something
 * changed: listeners read the events themselves from `run_events`.
 */
export interface RunEventNotification {
  runId: string;
  agentId: string;
  /** The run's workspace; absent in notifications from writers older than this field. */
  workspaceId?: string;
  /** The run's last event sequence number after the transaction (0 when it has none yet). */
  sequence: number;
  /** Present when the transaction changed the run's status: the new status. */
  status?: RunStatus;
}

/**
 * Parses a notification payload, or returns `undefined` when it is not one (another writer on the
 * channel, a truncated payload): listeners ignore those rather than fail.
 */
export function parseRunEventNotification(payload: string | undefined): RunEventNotification | undefined {
  if (!payload) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { runId, agentId, workspaceId, sequence, status } = value as Record<string, unknown>;
  if (typeof runId !== 'string' || typeof agentId !== 'string' || typeof sequence !== 'number') return undefined;
  return {
    runId,
    agentId,
    sequence,
    ...(typeof workspaceId === 'string' ? { workspaceId } : {}),
    ...(typeof status === 'string' ? { status: status as RunStatus } : {}),
  };
}
