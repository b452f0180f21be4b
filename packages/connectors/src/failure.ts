/** Converts anything a connector throws into what Temporal reports to the workflow. */
import { ApplicationFailure } from '@temporalio/common';
import type { NodeFailureDetails } from '@trellis/dag-interpreter';
import { ConnectorError } from './errors.js';

/**
 * Maps `error` to an `ApplicationFailure` with `type`, message, retryability, `nextRetryDelay`
 * (from `retryAfterMs`) and details `[{ attempt, data }]` ({@link NodeFailureDetails}).
 * Unknown errors become retryable failures of type `Error`. An `ApplicationFailure` passes through.
 */
export function toApplicationFailure(error: unknown, attempt: number): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  let failure: ApplicationFailure;
  if (error instanceof ConnectorError) {
    const details: NodeFailureDetails = { attempt, data: error.data };
    failure = ApplicationFailure.create({
      message: error.message,
      type: error.type,
      nonRetryable: !error.retryable,
      details: [details],
      nextRetryDelay: error.retryAfterMs,
    });
  } else {
    const details: NodeFailureDetails = { attempt };
    failure = ApplicationFailure.create({
      message: error instanceof Error ? error.message : String(error),
      type: 'Error',
      nonRetryable: false,
      details: [details],
    });
  }
  // Point the reported stack at the origin, not at this conversion.
  if (error instanceof Error && error.stack) failure.stack = error.stack;
  return failure;
}
