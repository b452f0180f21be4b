import { z } from 'zod';
import { agentReferenceSchema } from './agent-reference.js';

/**
 * Config of a `subflow` node: runs another agent's version as a child workflow, which appears as its
 * own run with `parentRun` set. `input` (templates allowed) is checked against that version's
 * `inputSchema`. The node's output is the child run's output.
 */
export const subflowConfigSchema = z.strictObject({
  agent: agentReferenceSchema,
  input: z.unknown().optional(),
});

export type SubflowConfig = z.infer<typeof subflowConfigSchema>;
