/** When a workflow should continue as new. Deterministic: both inputs are part of the workflow task. */
import { workflowInfo } from '@temporalio/workflow';
import { DEFAULT_HISTORY_EVENT_LIMIT } from '../activity-contract.js';

/**
 * True once Temporal suggests continuing as new (`continueAsNewSuggested`, set by the server from its
 * history size and count limits) or the history holds `limit` events.
 * @param limit - events; default {@link DEFAULT_HISTORY_EVENT_LIMIT}.
 */
export function historyBudgetSpent(limit: number = DEFAULT_HISTORY_EVENT_LIMIT): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= limit;
}
