/** Checks a value against a JSON Schema and describes the mismatches for a model to read. */
import { compileJsonSchema, InvalidJsonSchemaError } from '@trellis/dag-interpreter';
import { configError } from '../errors.js';

type SchemaError = NonNullable<ReturnType<typeof compileJsonSchema>['errors']>[number];

/**
 * Validates `value` against `schema` (ajv through `compileJsonSchema`: draft 2020-12, or draft-07 when
 * `$schema` says so). Each problem reads `/path: message`, the path a JSON Pointer into `value` (`/` for the
 * value itself): `/city: is required`, `/units: must be one of "metric", "imperial"`, `/days: must be integer`.
 *
 * @param what - names the schema in the error, such as `outputSchema`.
 * @returns every problem found; empty when `value` matches.
 * @throws ConnectorError `ConfigError` (not retryable) when `schema` is not a valid JSON Schema.
 */
export function schemaProblems(schema: Record<string, unknown>, value: unknown, what: string): string[] {
  const validate = compileSchema(schema, what);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describeError);
}

/**
 * Compiles `schema` (cached by `compileJsonSchema`).
 * @param what - names the schema in the error, such as `outputSchema`.
 * @throws ConnectorError `ConfigError` (not retryable) when `schema` is not a valid JSON Schema.
 */
export function compileSchema(schema: Record<string, unknown>, what: string): ReturnType<typeof compileJsonSchema> {
  try {
    return compileJsonSchema(schema);
  } catch (error) {
    if (!(error instanceof InvalidJsonSchemaError)) throw error;
    throw configError(`${what} is not a valid JSON Schema: ${error.message}`, { issues: error.issues.map((issue) => ({ ...issue })) });
  }
}

function describeError(error: SchemaError): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    return `${childPointer(error.instancePath, params.missingProperty)}: is required`;
  }
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `${childPointer(error.instancePath, params.additionalProperty)}: is not allowed`;
  }
  const where = error.instancePath || '/';
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${where}: must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${where}: ${error.message ?? 'is invalid'}`;
}

/** Escapes a key as a JSON Pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). */
function childPointer(parent: string, key: string): string {
  return `${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
