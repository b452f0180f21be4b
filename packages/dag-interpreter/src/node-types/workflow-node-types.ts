/**
 * The node types the workflow interprets itself. A type exists when it is listed here; the performer
 * table (`workflow/node-performers.ts`) is keyed by the same union, so a type without a performer does not
 * compile. Workflow-safe.
 */
import { agentNodeType } from './agent/index.js';
import { approvalNodeType } from './approval/index.js';
import { delayNodeType } from './delay/index.js';
import { forEachNodeType } from './for-each/index.js';
import type { NodeTypeDefinition } from './node-type.js';
import { setNodeType } from './set/index.js';
import { subflowNodeType } from './subflow/index.js';

/** Every workflow node type's definition, by type name. */
export const workflowNodeTypes = {
  set: setNodeType,
  approval: approvalNodeType,
  delay: delayNodeType,
  forEach: forEachNodeType,
  subflow: subflowNodeType,
  agent: agentNodeType,
} as const satisfies { [T in string]: NodeTypeDefinition & { type: T } };

/** The name of a node type interpreted inside the workflow. */
export type WorkflowNodeType = keyof typeof workflowNodeTypes;

/** Names of the workflow node types, in catalogue order. */
export const WORKFLOW_NODE_TYPES = Object.keys(workflowNodeTypes) as readonly WorkflowNodeType[];

/** Whether `type` names a workflow node type (rather than a connector). */
export function isWorkflowNodeType(type: string): type is WorkflowNodeType {
  return Object.hasOwn(workflowNodeTypes, type);
}
