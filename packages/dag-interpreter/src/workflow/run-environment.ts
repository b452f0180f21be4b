/**
 * What node performers need from the run they belong to. A whole run (`dagWorkflow`) provides
 * approvals; a `forEach` item does not, since its nodes are not recorded one by one.
 */
import type { AgentReference } from '../activity-contract.js';
import type { ApprovalConfig } from '../node-types/approval/index.js';
import type { ApprovalOutput } from './approvals.js';
import type { NodeScope } from './interpreter.js';

/** Opens an approval for a node and waits for its outcome, keeping the node and run WAITING meanwhile. */
export interface ApprovalGate {
  /**
   * @param details - shown to the approver with the message (an agent's tool call).
   * @throws ApplicationFailure `ApprovalTimeout` when it times out with `onTimeout: "fail"`.
   */
  await(nodeId: string, config: ApprovalConfig, scope: NodeScope, details?: unknown): Promise<ApprovalOutput>;
}

export interface RunEnvironment {
  /** The run whose record nodes belong to; the parent of the runs its sub-flows start. */
  runId: string;
  /** The run's workspace (see `DagWorkflowInput.workspaceId`). */
  workspaceId?: string;
  /** Prefix of the workflow ids of loop children (`<prefix>-<nodeId>`), unique within the run. */
  childWorkflowPrefix: string;
  /** Absent inside `forEach` bodies, where approvals cannot wait. */
  approvals?: ApprovalGate;
  /** Passed on to loop children (see `DagWorkflowInput.historyEventLimit`). */
  historyEventLimit?: number;
}

/** Renders an agent reference for messages: `agent 7f…` or `agent 7f… version 2`. */
export function describeAgent(agent: AgentReference): string {
  return agent.version === undefined ? `agent ${agent.id}` : `agent ${agent.id} version ${agent.version}`;
}

/**
 * The run asking, as activity requests carry it: `prepareSubflow` looks agents up in its workspace, and the
 * connector activities resolve its secrets there.
 */
export function runIdentity(env: Pick<RunEnvironment, 'runId' | 'workspaceId'>): { runId: string; workspaceId?: string } {
  return env.workspaceId === undefined ? { runId: env.runId } : { runId: env.runId, workspaceId: env.workspaceId };
}
