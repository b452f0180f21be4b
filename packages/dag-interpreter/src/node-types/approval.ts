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
 */
export const approvalConfigSchema = z.strictObject({
  message: z.string(),
  timeout: configDurationSchema.optional(),
  onTimeout: z.enum(APPROVAL_TIMEOUT_ACTIONS).default('reject'),
});

export type ApprovalConfig = z.infer<typeof approvalConfigSchema>;
