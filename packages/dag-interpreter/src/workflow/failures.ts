/**
 * Turns what a node threw into the `ErrorInfo` users see on the node and the run.
 */
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, TemporalFailure, TimeoutFailure } from '@temporalio/workflow';
import type { ErrorInfo, NodeFailureDetails } from '../activity-contract.js';

/** Thrown inside the workflow when a node fails for good; carries the node id for the run error. */
export class NodeFailedError extends Error {
  constructor(
    readonly nodeId: string,
    readonly info: ErrorInfo,
  ) {
    super(`node "${nodeId}" failed: ${info.message}`);
    this.name = 'NodeFailedError';
  }
}

/** Describes an error thrown by a node's executor, with the attempts the activity made. */
export function describeNodeError(error: unknown): ErrorInfo {
  if (error instanceof ActivityFailure) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure) {
      const details = cause.details?.[0] as NodeFailureDetails | undefined;
      return { message: cause.message, type: cause.type ?? 'Error', attempts: details?.attempt };
    }
    if (cause instanceof TimeoutFailure) {
      return { message: `activity timed out (${cause.timeoutType})`, type: 'TimeoutError' };
    }
    return { message: cause?.message ?? error.message, type: cause?.name ?? 'ActivityFailure' };
  }
  if (error instanceof ChildWorkflowFailure) {
    // The child's own failure (a node of the sub-flow, or a loop item) says what went wrong.
    const cause = error.cause;
    if (cause instanceof ApplicationFailure) return { message: cause.message, type: cause.type ?? 'Error' };
    return { message: cause?.message ?? error.message, type: cause?.name ?? 'ChildWorkflowFailure' };
  }
  if (error instanceof ApplicationFailure) return { message: error.message, type: error.type ?? 'Error' };
  if (error instanceof TemporalFailure) return { message: error.message, type: error.name };
  if (error instanceof Error) return { message: error.message, type: error.name };
  return { message: String(error), type: 'Error' };
}

/** Describes what ended a walk of a DAG: a node's failure (with the node's id) or anything else. */
export function describeWalkError(error: unknown): ErrorInfo {
  if (error instanceof NodeFailedError) return { ...error.info, nodeId: error.nodeId };
  return describeNodeError(error);
}
