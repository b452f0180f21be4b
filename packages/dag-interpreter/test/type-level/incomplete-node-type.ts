/**
 * A new node type `wait` added to the catalogue without a performer, and a definition missing fields.
 * Compiled (never run) by `node-type-completeness.test.ts`, which expects exactly the errors marked below.
 */
import { z } from 'zod';
import { defineNodeType, type workflowNodeTypes } from '../../src/workflow-safe.js';
import type { PerformerTable } from '../../src/workflow/node-performers.js';
import type { NodeTypePerformer } from '../../src/workflow/type-performer.js';

const waitConfigSchema = z.strictObject({ until: z.string() });

// ERROR(definition): no description, unrenderedFields or notInLoopBody.
export const incompleteWait = defineNodeType({ type: 'wait', configSchema: waitConfigSchema });

export const waitNodeType = defineNodeType({
  type: 'wait',
  description: 'Waits until a time.',
  configSchema: waitConfigSchema,
  unrenderedFields: [],
  notInLoopBody: null,
});

type ExtendedCatalogue = typeof workflowNodeTypes & { wait: typeof waitNodeType };
declare const perform: NodeTypePerformer;

// ERROR(performer): the table lists a performer for every existing type but not for `wait`.
export const performers: PerformerTable<keyof ExtendedCatalogue> = {
  set: perform,
  approval: perform,
  delay: perform,
  forEach: perform,
  subflow: perform,
  agent: perform,
};
