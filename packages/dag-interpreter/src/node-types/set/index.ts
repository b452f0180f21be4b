import { z } from 'zod';
import { defineNodeType } from '../node-type.js';

/**
 * Config of a `set` node: its output is `value` after template rendering (any JSON; required).
 * `null` is a value; only a missing key is rejected.
 */
export const setConfigSchema = z.strictObject({
  value: z.unknown().refine((value) => value !== undefined, 'is required'),
});

export type SetConfig = z.infer<typeof setConfigSchema>;

/** The `set` node: a pure data step, its output the rendered `value`. */
export const setNodeType = defineNodeType({
  type: 'set',
  description: 'Outputs `value` with its templates rendered: a pure data step (reshape, compute, aggregate with JSONata).',
  configSchema: setConfigSchema,
  unrenderedFields: [],
  notInLoopBody: null,
});
