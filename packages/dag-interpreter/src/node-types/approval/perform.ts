/** Performs `approval` nodes. Workflow code. */
import { ApplicationFailure } from '@temporalio/workflow';
import { renderedConfigOf, type NodeTypePerformer } from '../../workflow/type-performer.js';
import { approvalNodeType } from './index.js';

/**
 * Waits on the run's approval gate; outputs the decision (`ApprovalOutput`).
 * @throws ApplicationFailure `ConfigError` inside a `forEach` body, which has no gate (validation rejects
 *   such DAGs; this covers a body loaded from another agent's version).
 */
export const performApproval: NodeTypePerformer = async (env, node, scope) => {
  const config = await renderedConfigOf(approvalNodeType, node, scope);
  if (!env.approvals) {
    throw ApplicationFailure.create({
      message: 'approval nodes cannot run inside a forEach body; run them in an agent started by a subflow node',
      type: 'ConfigError',
      nonRetryable: true,
    });
  }
  return { output: await env.approvals.await(node.id, config, scope), attempts: 1 };
};
