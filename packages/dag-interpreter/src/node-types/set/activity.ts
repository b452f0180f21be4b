/**
 * The `evaluateSet` local activity: renders a `set` node's templates outside the workflow sandbox.
 *
 * Why not in the workflow: the Temporal SDK's sandbox records a stack trace (source-mapped) for every
 * promise it sees, for its `__stack_trace` query, and JSONata creates a promise per evaluation step. A
 * transform over a few hundred KB of JSON that takes 100–200 ms in Node then takes over 5 s in the
 * sandbox, past the SDK's limit for one workflow task. A local activity runs in the worker's own process,
 * records only its result in history (a marker), and replays from that marker.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { DagActivities, EvaluateSetRequest, EvaluateSetResult, NodeFailureDetails } from '../../activity-contract.js';
import { renderSetValue } from './render-value.js';

/**
 * Builds the `evaluateSet` activity. It needs no clients: a `set` node is pure.
 *
 * `evaluateSet` returns `{ output }`, the node's `value` with its templates rendered. Every failure is a
 * non-retryable `ApplicationFailure` whose `type` is the error's name (`ExpressionEvaluationError`,
 * `ExpressionSyntaxError`, `DagValidationError`) and whose message is the one the workflow would have
 * given, so a retry cannot change the outcome and the node's error reads the same on either path.
 */
export function createSetActivities(): Pick<DagActivities, 'evaluateSet'> {
  return {
    async evaluateSet(request: EvaluateSetRequest): Promise<EvaluateSetResult> {
      try {
        return { output: await renderSetValue(request.config, request.context, request.path) };
      } catch (error) {
        const cause = error instanceof Error ? error : new Error(String(error));
        const details: NodeFailureDetails = { attempt: 1 };
        throw ApplicationFailure.create({ message: cause.message, type: cause.name, nonRetryable: true, details: [details] });
      }
    },
  };
}
