/**
 * Reads from Temporal how a run's workflow ended, for the run reconciler.
 */
import {
  type Client,
  isGrpcServiceError,
  TerminatedFailure,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { isClosedWorkflowStatus, type WorkflowEnd } from './run-repair.js';

/** gRPC statuses of a call Temporal did not answer: DEADLINE_EXCEEDED (4) and UNAVAILABLE (14). */
const UNREACHABLE_GRPC_CODES: ReadonlySet<number> = new Set([4, 14]);
/**
 * What the client's `result()` reports for a termination whose stored reason is empty (it substitutes this
 * text), so it means "no reason given". Temporal's frontend itself stores "terminated by user via frontend"
 * when a terminate request gives none.
 */
const SDK_NO_TERMINATION_REASON = 'Workflow execution terminated';

/**
 * How the workflow `workflowId` ended, or null while it has not: running, paused, or between two executions of
 * a continue-as-new chain (without a run id, `describe` shows the chain's latest execution, which is running).
 * Closed workflows cost a second call only when their close event holds something the run needs: the result
 * (COMPLETED), the failure (FAILED) or the reason (TERMINATED), read from that very execution.
 *
 * @returns `{ status: 'NOT_FOUND' }` when Temporal has no such workflow (never started, or past retention)
 * @throws the client's errors (see {@link isTemporalUnreachable}), and decoding errors of a result or failure
 *   (a claim-checked payload that is missing)
 */
export async function readWorkflowEnd(client: Client, workflowId: string): Promise<WorkflowEnd | null> {
  let description;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { status: 'NOT_FOUND' };
    throw error;
  }
  const status = description.status.name;
  if (!isClosedWorkflowStatus(status)) return null;
  if (status === 'CANCELLED') return { status };
  if (status === 'TIMED_OUT') return { status };

  const execution = client.workflow.getHandle(workflowId, description.runId, { followRuns: false });
  try {
    return { status: 'COMPLETED', result: await execution.result() };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    if (error.cause instanceof TerminatedFailure) {
      const reason = error.cause.message;
      return { status: 'TERMINATED', reason: reason && reason !== SDK_NO_TERMINATION_REASON ? reason : null };
    }
    return { status: 'FAILED', failure: error.cause };
  }
}

/**
 * True when `error` says Temporal did not answer (unreachable, or slower than the call's deadline) rather
 * than something about one workflow: the reconciler then stops its pass, since every other call would
 * fail the same way.
 */
export function isTemporalUnreachable(error: unknown): boolean {
  // The client wraps gRPC errors (`ServiceError` with the gRPC error as `cause`).
  for (let current = error; current instanceof Error; current = current.cause) {
    if (isGrpcServiceError(current) && UNREACHABLE_GRPC_CODES.has(current.code)) return true;
  }
  return false;
}
