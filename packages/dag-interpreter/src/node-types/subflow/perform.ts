/** Performs `subflow` nodes. Workflow code. */
import { runSubflowNode } from '../../workflow/subflow.js';
import { renderedConfigOf, type NodeTypePerformer } from '../../workflow/type-performer.js';
import { subflowNodeType } from './index.js';

/** Runs the agent as a child run, recording its id on the node as soon as it starts; outputs its output. */
export const performSubflow: NodeTypePerformer = async (env, node, scope) => {
  const config = await renderedConfigOf(subflowNodeType, node, scope);
  const output = await runSubflowNode(env, config.agent, config.input ?? {}, (childRunId) => scope.update({ childRunId }));
  return { output, attempts: 1 };
};
