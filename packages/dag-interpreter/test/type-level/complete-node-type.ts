/** The same `wait` type with a complete definition and a performer: compiles without errors. */
import { z } from 'zod';
import { defineNodeType, type workflowNodeTypes } from '../../src/workflow-safe.js';
import type { PerformerTable } from '../../src/workflow/node-performers.js';
import type { NodeTypePerformer } from '../../src/workflow/type-performer.js';

export const waitNodeType = defineNodeType({
  type: 'wait',
  description: 'Waits until a time.',
  configSchema: z.strictObject({ until: z.string() }),
  unrenderedFields: [],
  notInLoopBody: null,
});

type ExtendedCatalogue = typeof workflowNodeTypes & { wait: typeof waitNodeType };
declare const perform: NodeTypePerformer;

export const performers: PerformerTable<keyof ExtendedCatalogue> = {
  set: perform,
  approval: perform,
  delay: perform,
  forEach: perform,
  subflow: perform,
  agent: perform,
  wait: perform,
};
