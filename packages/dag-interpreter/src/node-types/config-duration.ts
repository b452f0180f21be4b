import { DURATION_PATTERN, durationSchema } from '../dag-schema.js';
import { parseDuration } from '../duration.js';

/**
 * A duration field of a node config: the DAG format's duration string (`"500ms"`, `"10s"`, `"1h"`…),
 * additionally rejected when too large to express in milliseconds.
 */
export const configDurationSchema = durationSchema.refine(
  // Malformed strings are already reported by the pattern; zod runs refinements after it regardless.
  (text) => !DURATION_PATTERN.test(text) || fitsInMilliseconds(text),
  'is too large to be expressed in milliseconds',
);

function fitsInMilliseconds(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}
