/** Config schemas of the node types interpreted inside the workflow. Workflow-safe (zod only). */
import type { ZodType } from 'zod';
import type { WorkflowNodeType } from '../dag-schema.js';
import { approvalConfigSchema } from './approval.js';
import { delayConfigSchema } from './delay.js';
import { setConfigSchema } from './set.js';
import { agentConfigSchema } from './agent.js';
import { forEachConfigSchema } from './for-each.js';
import { subflowConfigSchema } from './subflow.js';

export { configDurationSchema } from './config-duration.js';
export { setConfigSchema, type SetConfig } from './set.js';
export {
  APPROVAL_TIMEOUT_ACTIONS,
  approvalConfigSchema,
  type ApprovalConfig,
  type ApprovalTimeoutAction,
} from './approval.js';
export { delayConfigSchema, type DelayConfig } from './delay.js';
export { agentReferenceSchema, type AgentReferenceConfig } from './agent-reference.js';
export { subflowConfigSchema, type SubflowConfig } from './subflow.js';
export {
  DEFAULT_FOR_EACH_CONCURRENCY,
  MAX_FOR_EACH_CONCURRENCY,
  forEachConfigSchema,
  type ForEachConfig,
} from './for-each.js';
export {
  MAX_AGENT_TURNS,
  TOOL_NAME_PATTERN,
  agentConfigSchema,
  agentToolSchema,
  type AgentConfig,
  type AgentToolConfig,
} from './agent.js';
export { UNRENDERED_CONFIG_FIELDS, renderableConfig } from './unrendered-fields.js';

/**
 * Config schema of each workflow node type, for `validateDag`'s `nodeTypes` and `parseNodeConfig`.
 * Typed per key, so `parseNodeConfig(workflowNodeConfigSchemas.delay, …)` returns a `DelayConfig`.
 */
export const workflowNodeConfigSchemas = {
  set: setConfigSchema,
  approval: approvalConfigSchema,
  delay: delayConfigSchema,
  forEach: forEachConfigSchema,
  subflow: subflowConfigSchema,
  agent: agentConfigSchema,
} as const satisfies Record<WorkflowNodeType, ZodType>;
