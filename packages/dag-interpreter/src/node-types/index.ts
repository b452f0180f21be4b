/**
 * Node types: the workflow's own (one folder each) and what the workflow knows about connectors.
 * Workflow-safe (zod only); the performers live next to each definition but are imported by the workflow only.
 */
export { defineNodeType, type NodeCheckContext, type NodeTypeDefinition } from './node-type.js';
export { WORKFLOW_NODE_TYPES, isWorkflowNodeType, workflowNodeTypes, type WorkflowNodeType } from './workflow-node-types.js';
export { CONNECTOR_TRAITS, connectorTraitsOf, type ConnectorTraits } from './connector-traits.js';
export { renderableConfig, unrenderedFieldsOf } from './render-config.js';
export { admitsSecret, describeSecretFields, SECRET_FIELDS } from './secret-fields.js';
export { configDurationSchema } from './config-duration.js';
export { agentReferenceSchema, type AgentReferenceConfig } from './agent-reference.js';
export { setConfigSchema, setNodeType, type SetConfig } from './set/index.js';
export { renderSetValue } from './set/render-value.js';
export {
  APPROVAL_TIMEOUT_ACTIONS,
  approvalConfigSchema,
  approvalNodeType,
  type ApprovalConfig,
  type ApprovalTimeoutAction,
} from './approval/index.js';
export { delayConfigSchema, delayNodeType, type DelayConfig } from './delay/index.js';
export { subflowConfigSchema, subflowNodeType, type SubflowConfig } from './subflow/index.js';
export {
  DEFAULT_FOR_EACH_CONCURRENCY,
  MAX_FOR_EACH_CONCURRENCY,
  forEachConfigSchema,
  forEachNodeType,
  type ForEachConfig,
} from './for-each/index.js';
export {
  MAX_AGENT_TURNS,
  TOOL_NAME_PATTERN,
  agentConfigSchema,
  agentNodeType,
  agentToolSchema,
  type AgentConfig,
  type AgentToolConfig,
} from './agent/index.js';
