import { z } from 'zod';

/**
 * A reference to another agent (`subflow`, `forEach` bodies, agent tools): `id` is the agent's id,
 * `version` a published version number; without it the agent's live version at the time of the call.
 */
export const agentReferenceSchema = z.strictObject({
  id: z.string().min(1),
  version: z.number().int().min(1).optional(),
});

export type AgentReferenceConfig = z.infer<typeof agentReferenceSchema>;
