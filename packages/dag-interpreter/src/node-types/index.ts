/** Config schemas of the node types interpreted inside the workflow. Workflow-safe (zod only). */
import type { ZodType } from 'zod';
import type { WorkflowNodeType } from '../dag-schema.js';
import { approvalConfigSchema } from './approval.js';
import { delayConfigSchema } from './delay.js';
import { setConfigSchema } from './set.js';

export { configDurationSchema } from './config-duration.js';
export { setConfigSchema, type SetConfig } from './set.js';
export {
  APPROVAL_TIMEOUT_ACTIONS,
  approvalConfigSchema,
  type ApprovalConfig,
  type ApprovalTimeoutAction,
} from './approval.js';
export { delayConfigSchema, type DelayConfig } from './delay.js';

/**
 * Config schema of each workflow node type, for `validateDag`'s `nodeTypes` and `parseNodeConfig`.
 * Typed per key, so `parseNodeConfig(workflowNodeConfigSchemas.delay, …)` returns a `DelayConfig`.
 */
export const workflowNodeConfigSchemas = {
  set: setConfigSchema,
  approval: approvalConfigSchema,
  delay: delayConfigSchema,
} as const satisfies Record<WorkflowNodeType, ZodType>;
