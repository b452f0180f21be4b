import { z } from 'zod';
import { defineNodeType } from '../node-type.js';
import { configDurationSchema } from '../config-duration.js';

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
  /**
   * Who may decide: user emails and roles (`role:ADMIN` means that role or above). When given, only they
   * (and ADMIN and above) may decide; signed decision links are not checked.
   */
  assignees: z.array(z.string().min(1)).optional(),
  /** `false`: whoever started the run (user or API key) may not decide it. Default `true`. */
  allowSelfApproval: z.boolean().optional(),
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

/**
 * An approval's config as the approval gate takes it: the schema's input shape, so callers that build one
 * (an agent's tool approvals set only `message`) may leave defaulted fields out; `onTimeout` then means `"reject"`.
 */
export type ApprovalConfig = z.input<typeof approvalConfigSchema>;

/** The `approval` node: waits on a person's decision. */
export const approvalNodeType = defineNodeType({
  type: 'approval',
  description: 'Pauses the run until a person approves or rejects (with optional form values), or `timeout` passes.',
  configSchema: approvalConfigSchema,
  // Rendered when (and if) the escalation fires, with `approval` in scope; the form is a JSON Schema.
  unrenderedFields: ['escalation', 'form'],
  notInLoopBody: 'approvals cannot wait inside a forEach body; put the approval in an agent run by a subflow',
});
