/**
 * Sub-flows: another agent's version run as a child workflow that is also a run of its own
 * (trigger SUBFLOW, `parentRun` set). Used by `subflow` nodes and agent-backed tools.
 */
import { ApplicationFailure, executeChild, ParentClosePolicy, uuid4 } from '@temporalio/workflow';
import {
  DAG_WORKFLOW_TYPE,
  type AgentReference,
  type DagWorkflowInput,
  type DagWorkflowResult,
  type PreparedSubflow,
} from '../activity-contract.js';
import { bookkeeping } from './activities.js';
import { describeAgent, type RunEnvironment, runIdentity } from './run-environment.js';
import { workspaceSearchAttributes } from '../workspace-search-attribute.js';

/** A sub-flow request: the agent, its input, and an extra schema the input must match (a tool's parameters). */
export interface SubflowRequest {
  agent: AgentReference;
  input: unknown;
  argumentsSchema?: Record<string, unknown>;
  /** Called with the child run's id once it is chosen, before the child starts. */
  onStart?(childRunId: string): void;
}

/** The outcome of {@link runSubflow}: the child's output, or why its input was refused. */
export type SubflowOutcome = { ok: true; output: unknown; childRunId: string } | Extract<PreparedSubflow, { ok: false }>;

/**
 * Pins the agent's version, checks the input, and runs it as a child run to completion. Cancelling the
 * caller cancels the child (and the child records itself CANCELLED).
 * @throws ApplicationFailure `AgentNotFound`/`AgentVersionNotFound` from `prepareSubflow`; a
 *   ChildWorkflowFailure when the child run fails.
 */
export async function runSubflow(env: RunEnvironment, request: SubflowRequest): Promise<SubflowOutcome> {
  const prepared = await bookkeeping.prepareSubflow({
    ...runIdentity(env),
    agent: request.agent,
    input: request.input,
    checkInput: true,
    argumentsSchema: request.argumentsSchema,
  });
  if (!prepared.ok) return prepared;
  const childRunId = uuid4();
  request.onStart?.(childRunId);
  const input: DagWorkflowInput = {
    runId: childRunId,
    agentVersionId: prepared.agentVersionId,
    dag: prepared.dag,
    input: request.input ?? {},
    trigger: 'SUBFLOW',
    parentRunId: env.runId,
    ...(env.workspaceId === undefined ? {} : { workspaceId: env.workspaceId }),
    historyEventLimit: env.historyEventLimit,
  };
  const result = await executeChild<(input: DagWorkflowInput) => Promise<DagWorkflowResult>>(DAG_WORKFLOW_TYPE, {
    workflowId: childRunId,
    args: [input],
    ...workspaceSearchAttributes(env.workspaceId),
    // If the parent ends without cancelling it (terminated, timed out), the child is asked to stop too.
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
  });
  return { ok: true, output: result.output, childRunId };
}

/**
 * Runs a `subflow` node's child and returns its output.
 * @throws ApplicationFailure `SubflowInputInvalid` (non-retryable) listing the input's problems.
 */
export async function runSubflowNode(
  env: RunEnvironment,
  agent: AgentReference,
  input: unknown,
  onStart: (childRunId: string) => void,
): Promise<unknown> {
  const outcome = await runSubflow(env, { agent, input, onStart });
  if (outcome.ok) return outcome.output;
  const problems = outcome.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw ApplicationFailure.create({
    message: `${describeAgent(agent)} refused the input: ${problems || outcome.message}`,
    type: 'SubflowInputInvalid',
    nonRetryable: true,
    details: [{ issues: outcome.issues }],
  });
}
