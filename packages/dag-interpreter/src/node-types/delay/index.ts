import { z } from 'zod';
import { defineNodeType } from '../node-type.js';
import { configDurationSchema } from '../config-duration.js';

/** Config of a `delay` node: a durable workflow timer of `duration` (a duration string such as `"5m"`). */
export const delayConfigSchema = z.strictObject({
  duration: configDurationSchema,
});

export type DelayConfig = z.infer<typeof delayConfigSchema>;

/** The `delay` node: a durable timer. */
export const delayNodeType = defineNodeType({
  type: 'delay',
  description: 'Waits for `duration` on a durable workflow timer that survives worker and server restarts.',
  configSchema: delayConfigSchema,
  unrenderedFields: [],
  notInLoopBody: null,
});
