/**
 * Which run events one `syncRun` batch produces: derived from the state transitions between what was
 * stored before the batch and what the batch stores, so a batch applied twice (a retried activity)
 * produces its events once.
 */
import type { NodeState, RunSyncRequest } from '@trellis/dag-interpreter';
import type { NewRunEvent } from '@trellis/db';

type NodeStatus = NodeState['status'];
type RunStatus = NonNullable<RunSyncRequest['run']>['status'];

/** What was stored before the batch, read under the run's lock. */
export interface StoredRunState {
  /** The run's status before the batch's own `run` patch. */
  runStatus: RunStatus;
  /** Whether `run.started` is already recorded. */
  started: boolean;
  /** Stored status of the batch's nodes; a node without a row is PENDING. */
  nodeStatuses: ReadonlyMap<string, NodeStatus>;
  /** Ids of the batch's approvals that this batch inserted (those already stored are not new). */
  newApprovalIds: ReadonlySet<string>;
}

const TERMINAL_RUN_EVENTS: Partial<Record<RunStatus, NewRunEvent['type']>> = {
  SUCCEEDED: 'run.succeeded',
  FAILED: 'run.failed',
  CANCELLED: 'run.cancelled',
};

/**
 * The events of one batch, in this order: `run.started` (a batch with `start` when none is recorded),
 * then per node in batch order `node.started` (the node left PENDING, unless its output was reused from
 * an earlier run) followed by `node.succeeded|failed|skipped` (it reached that status), then
 * `approval.requested` per new approval, then `run.succeeded|failed|cancelled` (the run reached it).
 * A node that went from PENDING to SUCCEEDED between two syncs gets both its events.
 */
export function deriveSyncEvents(stored: StoredRunState, request: RunSyncRequest): NewRunEvent[] {
  const events: NewRunEvent[] = [];
  if (request.start && !stored.started) events.push({ type: 'run.started', data: { status: 'RUNNING' } });
  for (const node of request.nodes) events.push(...nodeEvents(stored.nodeStatuses.get(node.nodeId) ?? 'PENDING', node));
  for (const approval of request.approvals ?? []) {
    if (!stored.newApprovalIds.has(approval.approvalId)) continue;
    events.push({
      type: 'approval.requested',
      nodeId: approval.nodeId,
      data: { approvalId: approval.approvalId, ...(approval.dueAt ? { dueAt: approval.dueAt } : {}) },
    });
  }
  const run = request.run;
  const terminal = run && run.status !== stored.runStatus ? TERMINAL_RUN_EVENTS[run.status] : undefined;
  if (run && terminal) {
    events.push({
      type: terminal,
      data: {
        status: run.status,
        ...(run.error ? { error: run.error.message, ...(run.error.nodeId ? { failedNodeId: run.error.nodeId } : {}) } : {}),
      },
    });
  }
  return events;
}

function nodeEvents(previous: NodeStatus, node: NodeState): NewRunEvent[] {
  if (node.status === previous) return [];
  const events: NewRunEvent[] = [];
  if (previous === 'PENDING' && node.status !== 'SKIPPED' && !node.reused) {
    events.push({ type: 'node.started', nodeId: node.nodeId, data: { nodeType: node.type } });
  }
  switch (node.status) {
    case 'SUCCEEDED':
      events.push({
        type: 'node.succeeded',
        nodeId: node.nodeId,
        data: { status: node.status, attempts: node.attempts, ...(node.reused ? { reused: true } : {}) },
      });
      break;
    case 'FAILED':
      events.push({
        type: 'node.failed',
        nodeId: node.nodeId,
        data: {
          status: node.status,
          attempts: node.attempts,
          ...(node.error ? { error: node.error.message, ...(node.error.type ? { errorType: node.error.type } : {}) } : {}),
        },
      });
      break;
    case 'SKIPPED':
      events.push({ type: 'node.skipped', nodeId: node.nodeId, data: { status: node.status } });
      break;
    default:
      // RUNNING and WAITING: covered by node.started (and approval.requested for WAITING).
      break;
  }
  return events;
}
