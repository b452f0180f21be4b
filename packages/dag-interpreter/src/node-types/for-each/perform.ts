/** The `forEach` node as its run sees it: evaluate `items`, pin the body, run the loop as a child workflow. */
import { ApplicationFailure, executeChild, ParentClosePolicy } from '@temporalio/workflow';
import { FOR_EACH_WORKFLOW_TYPE } from '../../activity-contract.js';
import { dagSchema, type Dag, type NodeSpec } from '../../dag-schema.js';
import { evaluateExpression, type ExpressionContext } from '../../expressions.js';
import { bookkeeping } from '../../workflow/activities.js';
import type { ForEachWorkflowInput, ForEachWorkflowResult } from '../../workflow/for-each-contract.js';
import { describeAgent, type RunEnvironment, runIdentity } from '../../workflow/run-environment.js';
import { workspaceSearchAttributes } from '../../workspace-search-attribute.js';
import { renderedConfigOf, type NodeTypePerformer } from '../../workflow/type-performer.js';
import { forEachNodeType, type ForEachConfig } from './index.js';

/** Runs the loop; outputs the bodies' outputs in item order. */
export const performForEach: NodeTypePerformer = async (env, node, scope) => {
  const config = await renderedConfigOf(forEachNodeType, node, scope);
  return { output: await runForEachNode(env, node, config, scope.context), attempts: 1 };
};

/**
 * Runs a `forEach` node. The items are evaluated here; the loop runs in a child workflow so the run's own
 * history grows by a handful of events however many items there are, and the child continues as new as
 * often as its history requires.
 * @returns the bodies' outputs in item order.
 * @throws ApplicationFailure `ExpressionError` when `items` fails; the child's failure when an item fails.
 */
async function runForEachNode(
  env: RunEnvironment,
  node: NodeSpec,
  config: ForEachConfig,
  context: ExpressionContext,
): Promise<unknown[]> {
  let value: unknown;
  try {
    value = await evaluateExpression(config.items, context);
  } catch (error) {
    throw ApplicationFailure.create({ message: `items: ${(error as Error).message}`, type: 'ExpressionError', nonRetryable: true });
  }
  const items = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (items.length === 0) return [];

  const body = await loadBody(env, config);
  const input: ForEachWorkflowInput = {
    runId: env.runId,
    ...(env.workspaceId === undefined ? {} : { workspaceId: env.workspaceId }),
    nodeId: node.id,
    body,
    items,
    concurrency: config.concurrency,
    failFast: config.failFast,
    historyEventLimit: env.historyEventLimit,
    next: 0,
    results: [],
    failures: [],
  };
  const result = await executeChild<(input: ForEachWorkflowInput) => Promise<ForEachWorkflowResult>>(FOR_EACH_WORKFLOW_TYPE, {
    workflowId: `${env.childWorkflowPrefix}-${node.id}`,
    args: [input],
    ...workspaceSearchAttributes(env.workspaceId),
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
  });
  return result.results;
}

/** The inline body (with the DAG schema's defaults), or the referenced agent's pinned version. */
async function loadBody(env: RunEnvironment, config: ForEachConfig): Promise<Dag> {
  if (config.agent === undefined) {
    return dagSchema.parse({ nodes: config.nodes, edges: config.edges ?? [], ...(config.output === undefined ? {} : { output: config.output }) });
  }
  const prepared = await bookkeeping.prepareSubflow({ ...runIdentity(env), agent: config.agent, checkInput: false });
  if (!prepared.ok) {
    throw ApplicationFailure.create({ message: `${describeAgent(config.agent)}: ${prepared.message}`, type: 'SubflowInputInvalid', nonRetryable: true });
  }
  return prepared.dag;
}
