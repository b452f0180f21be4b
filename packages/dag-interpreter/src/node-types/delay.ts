import { z } from 'zod';
import { configDurationSchema } from './config-duration.js';

/** Config of a `delay` node: a durable workflow timer of `duration` (a duration string such as `"5m"`). */
export const delayConfigSchema = z.strictObject({
  duration: configDurationSchema,
});

export type DelayConfig = z.infer<typeof delayConfigSchema>;
