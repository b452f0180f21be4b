/**
 * Validation of a run's input against the DAG's `inputSchema`. NOT workflow-safe (uses ajv).
 */
import type { ErrorObject } from 'ajv';
import { compileJsonSchema, InvalidJsonSchemaError } from './json-schema/schema-compiler.js';
import { pointerToSegments } from './json-schema/json-pointer.js';
import { formatPath, joinPath, type PathSegment, type ValidationIssue } from './validation/issues.js';

/**
 * Checks `input` against `inputSchema` (JSON Schema draft 2020-12, or draft-07 when its `$schema` says so,
 * with ajv-formats' formats), reporting every violation.
 *
 * Paths start at `input`: `input.threshold`, `input.items[0]`. A missing required property is reported at
 * the property's own path (`input.threshold: is required`), an unexpected one likewise (`is not allowed`).
 * Compiled schemas are cached by their JSON text.
 *
 * @param inputSchema - the DAG's `inputSchema`; `undefined` accepts any input.
 * @returns the problems found, empty when the input is valid. An invalid schema (normally caught by
 *   `validateDag`) is reported as issues under `inputSchema`.
 */
export function validateRunInput(inputSchema: object | undefined, input: unknown): ValidationIssue[] {
  if (inputSchema === undefined) return [];
  let validate;
  try {
    validate = compileJsonSchema(inputSchema as Record<string, unknown>);
  } catch (error) {
    if (!(error instanceof InvalidJsonSchemaError)) throw error;
    return error.issues.map((issue) => ({ ...issue, path: joinPath('inputSchema', issue.path) }));
  }
  if (validate(input)) return [];
  return (validate.errors ?? []).map((error) => toIssue(error, input));
}

function toIssue(error: ErrorObject, input: unknown): ValidationIssue {
  const segments: PathSegment[] = ['input', ...pointerToSegments(error.instancePath, input)];
  if (error.keyword === 'required' && typeof error.params.missingProperty === 'string') {
    return { path: formatPath([...segments, error.params.missingProperty]), message: 'is required' };
  }
  if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string') {
    return { path: formatPath([...segments, error.params.additionalProperty]), message: 'is not allowed' };
  }
  return { path: formatPath(segments), message: error.message ?? 'is invalid' };
}
