/**
 * What each node type does. Workflow node types are performed by their own module's performer, looked up
 * in a table keyed by {@link WorkflowNodeType}; every other type is a connector executed by the
 * `executeNode` activity with the node's retry policy and timeout.
 */
import type { NodeSpec } from '../dag-schema.js';
import { performAgent } from '../node-types/agent/perform.js';
import { performApproval } from '../node-types/approval/perform.js';
import { performDelay } from '../node-types/delay/perform.js';
import { performForEach } from '../node-types/for-each/perform.js';
import { performSet } from '../node-types/set/perform.js';
import { performSubflow } from '../node-types/subflow/perform.js';
import { connectorTraitsOf, isWorkflowNodeType, type WorkflowNodeType } from '../workflow-safe.js';
import { nodeExecutor } from './activities.js';
import type { NodeOutcome, NodePerformer, NodeScope } from './interpreter.js';
import { runIdentity, type RunEnvironment } from './run-environment.js';
import { renderConfig, type NodeTypePerformer } from './type-performer.js';

/** A performer for every node type in `T`: a type left out is a compile error, not a run-time surprise. */
export type PerformerTable<T extends string = WorkflowNodeType> = Readonly<Record<T, NodeTypePerformer>>;

const performers: PerformerTable = {
  set: performSet,
  approval: performApproval,
  delay: performDelay,
  forEach: performForEach,
  subflow: performSubflow,
  agent: performAgent,
};

/** The performer of every node type, for nodes of the run (or loop item) described by `env`. */
export function createPerformer(env: RunEnvironment): NodePerformer {
  return (node, scope) => (isWorkflowNodeType(node.type) ? performers[node.type](env, node, scope) : executeConnector(env, node, scope));
}

async function executeConnector(env: RunEnvironment, node: NodeSpec, scope: NodeScope): Promise<NodeOutcome> {
  const config = await renderConfig(node, scope);
  const result = await nodeExecutor(node).executeNode({
    ...runIdentity(env),
    nodeId: node.id,
    type: node.type,
    config,
    ...(connectorTraitsOf(node.type).readsContext ? { context: { input: scope.context.input, nodes: scope.context.nodes } } : {}),
  });
  return { output: result.output, attempts: result.attempt };
}
