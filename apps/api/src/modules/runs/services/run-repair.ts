/**
 * What the run reconciler writes for a run whose workflow closed without recording its outcome (terminated,
 * timed out, gone from Temporal): from how the workflow ended to the run's final status, output or error, the
 * error of its unfinished nodes and the run events announcing them. Pure: no database, no Temporal.
 */
import { ApplicationFailure, type WorkflowExecutionStatusName } from '@temporalio/client';
import type { NewRunEvent } from '@trellis/db';
import { RunStatus } from '../../../infrastructure/prisma/prisma-client.js';

/**
 * Temporal statuses after which the run's workflow executes no more code. CONTINUED_AS_NEW is not one: the
 * run goes on in the next execution of the chain (and describing the workflow id shows that execution).
 */
const CLOSED_WORKFLOW_STATUSES: ReadonlySet<WorkflowExecutionStatusName> = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'TIMED_OUT',
]);

/** True when a workflow in `status` has ended for good, so its run is over. */
export function isClosedWorkflowStatus(status: WorkflowExecutionStatusName): boolean {
  return CLOSED_WORKFLOW_STATUSES.has(status);
}

/** How a run's workflow ended, as read from Temporal. */
export type WorkflowEnd =
  /** `result`: what the workflow returned (`{ output }` for `dagWorkflow`). */
  | { status: 'COMPLETED'; result: unknown }
  /** `failure`: the workflow's decoded failure (`WorkflowFailedError.cause`). */
  | { status: 'FAILED'; failure: unknown }
  | { status: 'CANCELLED' }
  /** `reason`: the operator's or schedule's reason, null when none was given. */
  | { status: 'TERMINATED'; reason: string | null }
  | { status: 'TIMED_OUT' }
  /** Never started, deleted, or past the namespace's retention period. */
  | { status: 'NOT_FOUND' };

/** The shape of `runs.error` and `node_runs.error`. */
export interface RepairError {
  message: string;
  type?: string;
  nodeId?: string;
}

/** The final state to record for a run (and its unfinished nodes). */
export interface RunRepair {
  status: typeof RunStatus.SUCCEEDED | typeof RunStatus.FAILED | typeof RunStatus.CANCELLED;
  /** SUCCEEDED: the workflow's output. */
  output?: unknown;
  /** FAILED: why. */
  error?: RepairError;
  /** Given to the run's nodes still RUNNING or WAITING, which will never finish now. */
  nodeError: RepairError;
}

/** A node the repair moves to FAILED. */
export interface AbandonedNode {
  nodeId: string;
  attempts: number;
}

/** The interpreter's own error for a node interrupted by cancellation, so both paths read the same. */
const CANCELLED_NODE_ERROR: RepairError = { message: 'cancelled before it finished', type: 'Cancelled' };

/**
 * The run's final state for `end`: TERMINATED, TIMED_OUT, FAILED and NOT_FOUND give FAILED (the error's
 * `message` says which), CANCELLED gives CANCELLED, COMPLETED gives SUCCEEDED with the workflow's `output`.
 *
 * @returns null for a COMPLETED workflow whose result is not an object like `dagWorkflow`'s `{ output }`:
 *   its output is unknown, so the run is better left alone than recorded with a made-up one
 */
export function repairFor(end: WorkflowEnd): RunRepair | null {
  switch (end.status) {
    case 'COMPLETED': {
      if (typeof end.result !== 'object' || end.result === null || Array.isArray(end.result)) return null;
      return {
        status: RunStatus.SUCCEEDED,
        // An undefined output does not survive JSON: `{ output: undefined }` arrives as `{}`.
        output: (end.result as { output?: unknown }).output ?? null,
        nodeError: { message: 'The workflow completed without recording the outcome of this node' },
      };
    }
    case 'CANCELLED':
      return { status: RunStatus.CANCELLED, nodeError: CANCELLED_NODE_ERROR };
    case 'FAILED':
      return failed(failureError(end.failure));
    case 'TERMINATED':
      return failed({ message: `The workflow was terminated: ${end.reason || 'no reason given'}` });
    case 'TIMED_OUT':
      return failed({ message: 'The workflow timed out' });
    case 'NOT_FOUND':
      return failed({ message: 'The workflow no longer exists in Temporal' });
  }
}

/**
 * The run events of a repair, in the worker's order (`deriveSyncEvents`): `node.failed` per abandoned
 * node, then the terminal `run.succeeded|failed|cancelled`, with the same `data` shapes.
 */
export function repairEvents(repair: RunRepair, abandoned: readonly AbandonedNode[]): NewRunEvent[] {
  const events: NewRunEvent[] = abandoned.map((node) => ({
    type: 'node.failed',
    nodeId: node.nodeId,
    data: {
      status: 'FAILED',
      attempts: node.attempts,
      error: repair.nodeError.message,
      ...(repair.nodeError.type ? { errorType: repair.nodeError.type } : {}),
    },
  }));
  const { error } = repair;
  events.push({
    type: TERMINAL_EVENTS[repair.status],
    data: {
      status: repair.status,
      ...(error ? { error: error.message, ...(error.nodeId ? { failedNodeId: error.nodeId } : {}) } : {}),
    },
  });
  return events;
}

const TERMINAL_EVENTS: Record<RunRepair['status'], NewRunEvent['type']> = {
  [RunStatus.SUCCEEDED]: 'run.succeeded',
  [RunStatus.FAILED]: 'run.failed',
  [RunStatus.CANCELLED]: 'run.cancelled',
};

function failed(error: RepairError): RunRepair {
  return { status: RunStatus.FAILED, error, nodeError: { message: error.message } };
}

/**
 * The error of a FAILED workflow. `dagWorkflow` fails with the run's error as the failure's first detail
 * (after recording it itself), so that detail is what the run would have shown; any other failure gives
 * its message.
 */
function failureError(failure: unknown): RepairError {
  if (failure instanceof ApplicationFailure) {
    const info = failure.details?.[0];
    if (typeof info === 'object' && info !== null && typeof (info as RepairError).message === 'string') {
      const { message, type, nodeId } = info as Record<string, unknown>;
      return {
        message: message as string,
        ...(typeof type === 'string' ? { type } : {}),
        ...(typeof nodeId === 'string' ? { nodeId } : {}),
      };
    }
  }
  if (failure instanceof Error && failure.message) return { message: failure.message };
  return { message: 'The workflow failed' };
}
