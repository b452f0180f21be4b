import { z } from 'zod';
import { configDurationSchema } from './config-duration.js';

/** What an `approval` node does when nobody decides within `timeout`. */
export const APPROVAL_TIMEOUT_ACTIONS = ['approve', 'reject', 'fail'] as const;
export type ApprovalTimeoutAction = (typeof APPROVAL_TIMEOUT_ACTIONS)[number];

/**
 * Config of an `approval` node: waits for a person's decision.
 *
 * - `message`: shown to the approver.
 * - `timeout`: optional duration string; absent means wait forever.
 * - `onTimeout`: `"approve"`, `"reject"` (default) or `"fail"` (the node fails).
 * - `assignees`, `form`, `escalateAfter` + `escalation`: see the fields.
 */
export const approvalConfigSchema = z.strictObject({
  message: z.string(),
  timeout: configDurationSchema.optional(),
  onTimeout: z.enum(APPROVAL_TIMEOUT_ACTIONS).default('reject'),
  /** Free-form identities of who should decide (shown in the inbox; not enforced yet). */
  assignees: z.array(z.string().min(1)).optional(),
  /** JSON Schema (an object schema) of fields the approver fills in; checked on decision, returned as `values`. */
  form: z.record(z.string(), z.unknown()).optional(),
  /** When the approval is still pending this long after it opened, `escalation` is sent, once. */
  escalateAfter: configDurationSchema.optional(),
  /**
   * An `http` node config sent as the escalation notification. Its templates also see
   * `approval` (`{ id, message, assignees, requestedAt, dueAt }`).
   */
  escalation: z.record(z.string(), z.unknown()).optional(),
});

export type ApprovalConfig = z.infer<typeof approvalConfigSchema>;
