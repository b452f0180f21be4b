/**
 * `forEachWorkflow`: runs a `forEach` node's body once per item, at most `concurrency` at a time, as a
 * child of the run. Items run inside this workflow (no workflow per item), and the loop continues as new
 * whenever its history is spent, carrying the finished results, so 10,000 items stay far below Temporal's
 * history limits.
 */
import { ApplicationFailure, CancellationScope, continueAsNew, isCancellation, workflowInfo } from '@temporalio/workflow';
import type { ErrorInfo } from '../activity-contract.js';
import type { ForEachWorkflowInput, ForEachWorkflowResult } from './for-each-contract.js';
import { describeWalkError } from './failures.js';
import { historyBudgetSpent } from './history-budget.js';
import { DagInterpreter } from './interpreter.js';
import { createPerformer } from './node-performers.js';

/**
 * @returns `{ results }`: each item's body output, in item order.
 * @throws ApplicationFailure (non-retryable) naming the failed item: the first one when `failFast`,
 *   else a summary once every item ran.
 */
export async function forEachWorkflow(input: ForEachWorkflowInput): Promise<ForEachWorkflowResult> {
  const results = input.results.slice();
  const failures = input.failures.slice();
  const { items, concurrency, failFast } = input;
  let next = input.next;
  let pausing = false;
  let firstFailure: { index: number; error: unknown } | undefined;

  const runItem = async (index: number): Promise<unknown> => {
    const interpreter = new DagInterpreter({
      dag: input.body,
      input: { item: items[index], index },
      performer: createPerformer({
        runId: input.runId,
        workspaceId: input.workspaceId,
        childWorkflowPrefix: `${workflowInfo().workflowId}-${index}`,
        historyEventLimit: input.historyEventLimit,
      }),
    });
    await interpreter.walk();
    return interpreter.output();
  };

  const scope = new CancellationScope();
  await scope.run(async () => {
    const lane = async (): Promise<void> => {
      while (next < items.length && firstFailure === undefined && !pausing) {
        // Leave room for the items in flight to finish before the history is cut.
        if (historyBudgetSpent(input.historyEventLimit)) {
          pausing = true;
          return;
        }
        const index = next++;
        try {
          results[index] = await runItem(index);
        } catch (error) {
          if (isCancellation(error) && firstFailure !== undefined) return;
          if (failFast) {
            firstFailure ??= { index, error };
            scope.cancel();
            return;
          }
          results[index] = null;
          failures.push({ index, error: describeWalkError(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length - next) }, lane));
  });

  if (firstFailure !== undefined) throw itemFailure(input.nodeId, firstFailure.index, describeWalkError(firstFailure.error));
  if (pausing && next < items.length) {
    return continueAsNew<typeof forEachWorkflow>({ ...input, next, results, failures });
  }
  if (failures.length > 0) {
    const first = failures.reduce((a, b) => (a.index <= b.index ? a : b));
    throw ApplicationFailure.create({
      message: `${failures.length} of ${items.length} items of forEach "${input.nodeId}" failed; item ${first.index}: ${first.error.message}`,
      type: 'ForEachItemsFailed',
      nonRetryable: true,
      details: [{ failures: failures.sort((a, b) => a.index - b.index) }],
    });
  }
  return { results };
}

function itemFailure(nodeId: string, index: number, error: ErrorInfo): ApplicationFailure {
  const where = error.nodeId ? ` at node "${error.nodeId}"` : '';
  return ApplicationFailure.create({
    message: `forEach "${nodeId}" item ${index} failed${where}: ${error.message}`,
    type: error.type ?? 'ForEachItemFailed',
    nonRetryable: true,
    details: [{ index, error }],
  });
}
