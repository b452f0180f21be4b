import { z } from 'zod';
import { defineNodeType } from '../node-type.js';
import { agentReferenceSchema } from '../agent-reference.js';

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

/** The `subflow` node: another agent run as a child. */
export const subflowNodeType = defineNodeType({
  type: 'subflow',
  description: "Runs another agent's version as a child run with `input`; outputs the child run's output.",
  configSchema: subflowConfigSchema,
  unrenderedFields: [],
  notInLoopBody: null,
});
