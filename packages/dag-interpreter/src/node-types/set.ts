import { z } from 'zod';

/**
 * Config of a `set` node: its output is `value` after template rendering (any JSON; required).
 * `null` is a value; only a missing key is rejected.
 */
export const setConfigSchema = z.strictObject({
  value: z.unknown().refine((value) => value !== undefined, 'is required'),
});

export type SetConfig = z.infer<typeof setConfigSchema>;
