/** Input and result of the `forEachWorkflow` child that runs a `forEach` node's items. */
import type { ErrorInfo } from '../activity-contract.js';
import type { Dag } from '../dag-schema.js';

export interface ForEachWorkflowInput {
  /** The run the loop belongs to (activities and sub-flows name it). */
  runId: string;
  /** The run's workspace (see `DagWorkflowInput.workspaceId`). */
  workspaceId?: string;
  /** The `forEach` node's id, for messages. */
  nodeId: string;
  /** The body run for each item, with input `{ item, index }`. */
  body: Dag;
  items: unknown[];
  concurrency: number;
  failFast: boolean;
  historyEventLimit?: number;
  /** Carried across continue-as-new: items before `next` are done. */
  next: number;
  /** Outputs of the items done so far, by index (`null` for failed ones when not failing fast). */
  results: unknown[];
  /** Items that failed so far (only when not failing fast). */
  failures: { index: number; error: ErrorInfo }[];
}

export interface ForEachWorkflowResult {
  results: unknown[];
}
