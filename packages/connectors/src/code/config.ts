/** Config schema and limits of the `code` connector. */
import { configDurationSchema, parseDuration } from '@trellis/dag-interpreter';
import { z } from 'zod';

/** Longest `timeout` a `code` node may ask for, in ms ("30s"). */
export const CODE_MAX_TIMEOUT_MS = 30_000;
/** `timeout` when the config has none. */
export const CODE_DEFAULT_TIMEOUT = '1s';
/** Largest `memoryMb` a `code` node may ask for (MiB). */
export const CODE_MAX_MEMORY_MB = 256;
/** `memoryMb` when the config has none (MiB). */
export const CODE_DEFAULT_MEMORY_MB = 32;
/** Largest result, in bytes of UTF-8 JSON (1 MiB): outputs are stored in Temporal history and Postgres. */
export const CODE_MAX_RESULT_BYTES = 1024 * 1024;

/** True when `text` is a duration between 1 ms and {@link CODE_MAX_TIMEOUT_MS}; malformed text is reported by the pattern. */
function isAllowedTimeout(text: string): boolean {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    return true;
  }
  return ms >= 1 && ms <= CODE_MAX_TIMEOUT_MS;
}

export const codeConfigSchema = z.strictObject({
  /** The body of a JavaScript function that receives `input` and `nodes` and returns a JSON value. */
  source: z.string().min(1, 'must not be empty'),
  /** Wall-clock limit of one execution (a DAG duration string, "1ms" to "30s"). */
  timeout: configDurationSchema.refine(isAllowedTimeout, 'must be between "1ms" and "30s"').default(CODE_DEFAULT_TIMEOUT),
  /** Heap limit of the sandbox, in MiB (the input counts against it). */
  memoryMb: z.number().int().min(1).max(CODE_MAX_MEMORY_MB).default(CODE_DEFAULT_MEMORY_MB),
});

/** Parsed config of a `code` node. */
export type CodeConfig = z.output<typeof codeConfigSchema>;
