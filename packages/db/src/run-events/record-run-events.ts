/**
 * The one writer of `run_events`, shared by the worker (`syncRun`, `expireApproval`, retries) and the API
 * (approval decisions): numbers events per run without gaps and announces them on commit.
 */
import type { Prisma } from '../generated/prisma/client.js';
import type { RunStatus } from '../generated/prisma/enums.js';
import { RUN_EVENTS_CHANNEL, type NewRunEvent, type RunEventNotification } from './run-event-types.js';

/** What the helpers need of a Prisma transaction (`$transaction(async (tx) => …)`'s `tx`). */
export type RunEventsTransaction = Pick<Prisma.TransactionClient, '$queryRaw' | '$executeRaw'>;

/** A run's row as seen under {@link lockRunForEvents}' lock. */
export interface LockedRun {
  status: RunStatus;
  agentId: string;
  workspaceId: string;
  /** Sequence number of the run's last event; 0 before the first. */
  eventSequence: number;
}

/** Result of {@link recordRunEvents}. */
export interface RecordedRunEvents {
  agentId: string;
  /** The sequence numbers given to the events, in order (empty when none were given). */
  sequences: number[];
}

/**
 * Locks the run's row until the transaction ends and returns it, or `null` when the run does not exist.
 *
 * Take it before reading the state that decides which events to emit, so that two transactions on the
 * same run (a retried `syncRun` overlapping the first) see each other's changes instead of both
 * emitting the same transition. The lock is `FOR NO KEY UPDATE`, the lock {@link recordRunEvents}' own
 * update takes, so it does not block inserts of rows that reference the run.
 */
export async function lockRunForEvents(tx: RunEventsTransaction, runId: string): Promise<LockedRun | null> {
  const rows = await tx.$queryRaw<LockedRun[]>`
    SELECT status::text AS status, agent_id::text AS "agentId", workspace_id::text AS "workspaceId",
      event_sequence AS "eventSequence"
    FROM runs WHERE id = ${runId}::uuid FOR NO KEY UPDATE`;
  return rows[0] ?? null;
}

/**
 * Appends `events` to the run, in order, inside the caller's transaction, and queues a
 * `pg_notify('trellis_run_events', { runId, agentId, workspaceId, sequence, status? })`, which Postgres delivers on
 * commit (and drops on rollback).
 *
 * Numbers come from `UPDATE runs SET event_sequence = event_sequence + n … RETURNING`: the row lock it
 * takes is held until commit, so concurrent writers of the same run are serialized and commit in
 * sequence order, and a reader never sees sequence k+1 before k. `created_at` is the database clock at
 * insert time (`clock_timestamp()`), not the transaction's start.
 *
 * With no events, nothing is numbered; the notification is still sent when `options.status` is set.
 *
 * @param options.status the run's new status, when this transaction changed it (listeners use it to
 *   stream status changes)
 * @returns the run's agent and the numbers given, or `null` when the run does not exist (nothing written)
 * @throws whatever Prisma throws for a failed statement (the caller's transaction then rolls back)
 */
export async function recordRunEvents(
  tx: RunEventsTransaction,
  runId: string,
  events: readonly NewRunEvent[],
  options: { status?: RunStatus } = {},
): Promise<RecordedRunEvents | null> {
  const rows = await tx.$queryRaw<{ eventSequence: number; agentId: string; workspaceId: string }[]>`
    UPDATE runs SET event_sequence = event_sequence + ${events.length}::int
    WHERE id = ${runId}::uuid
    RETURNING event_sequence AS "eventSequence", agent_id::text AS "agentId", workspace_id::text AS "workspaceId"`;
  const row = rows[0];
  if (!row) return null;
  const first = row.eventSequence - events.length + 1;
  const sequences = events.map((_, index) => first + index);
  if (events.length > 0) {
    const records = events.map((event, index) => ({
      sequence: sequences[index],
      type: event.type,
      node_id: event.nodeId ?? null,
      data: event.data ?? null,
    }));
    await tx.$executeRaw`
      INSERT INTO run_events (run_id, sequence, type, node_id, data, created_at)
      SELECT ${runId}::uuid, e.sequence, e.type, e.node_id, e.data, clock_timestamp()
      FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS e(sequence int, type text, node_id text, data jsonb)
      ORDER BY e.sequence`;
  }
  if (events.length > 0 || options.status) {
    const notification: RunEventNotification = {
      runId,
      agentId: row.agentId,
      workspaceId: row.workspaceId,
      sequence: row.eventSequence,
      ...(options.status ? { status: options.status } : {}),
    };
    await tx.$executeRaw`SELECT pg_notify(${RUN_EVENTS_CHANNEL}, ${JSON.stringify(notification)})`;
  }
  return { agentId: row.agentId, sequences };
}
