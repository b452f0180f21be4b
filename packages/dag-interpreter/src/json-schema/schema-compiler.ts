/**
 * JSON Schema support (ajv 8 with ajv-formats) for run inputs. NOT workflow-safe: never import it from
 * workflow code.
 *
 * Schemas declaring `"$schema": "http://json-schema.org/draft-07/schema#"` use draft-07; all others use
 * draft 2020-12 (the default when `$schema` is absent).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { formatPath, type ValidationIssue } from '../validation/issues.js';
import { pointerToSegments } from './json-pointer.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is the module object.
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

const DRAFT_07_URIS = new Set(['http://json-schema.org/draft-07/schema#', 'http://json-schema.org/draft-07/schema']);
const DRAFT_2020_URIS = new Set(['https://json-schema.org/draft/2020-12/schema', 'https://json-schema.org/draft/2020-12/schema#']);

type AnyAjv = Ajv | Ajv2020;

/**
 * Options shared by both drafts: every error reported, unknown keywords rejected (they are usually typos
 * such as `"propertys"`), and ajv's other strict-mode checks off because they only log warnings.
 */
const AJV_OPTIONS = {
  allErrors: true,
  strictSchema: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  logger: false,
} as const;

let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

/**
 * Adds ajv-formats' formats (`email`, `date-time`, `uri`…), without its `formatMinimum`-style keywords:
 * ajv-formats resolves its own nested copy of ajv, whose generated-code objects the package's ajv does not
 * recognise, so those keywords would compile into broken validators. Schemas using them are rejected as
 * having unknown keywords instead.
 */
function withFormats<T extends AnyAjv>(ajv: T): T {
  (addFormats as unknown as (instance: AnyAjv, options: { mode: 'full'; keywords: boolean }) => void)(ajv, {
    mode: 'full',
    keywords: false,
  });
  return ajv;
}

function ajvFor(schema: Record<string, unknown>): AnyAjv {
  if (typeof schema.$schema === 'string' && DRAFT_07_URIS.has(schema.$schema)) {
    return (draft07 ??= withFormats(new Ajv(AJV_OPTIONS)));
  }
  return (draft2020 ??= withFormats(new Ajv2020(AJV_OPTIONS)));
}

/** Compiled validators by the schema's JSON text; schemas are few (one per agent version). */
const MAX_CACHED_SCHEMAS = 500;
const compiled = new Map<string, ValidateFunction>();

/** Thrown by {@link compileJsonSchema} for a schema that is not valid JSON Schema. */
export class InvalidJsonSchemaError extends Error {
  override readonly name = 'InvalidJsonSchemaError';
  /** Problems with paths relative to the schema (`properties.x.type`, `""` for the root). */
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    super(`invalid JSON Schema: ${issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ')}`);
    this.issues = issues;
  }
}

/**
 * Lists what is wrong with `schema` as a JSON Schema: unsupported `$schema`, meta-schema violations,
 * unknown keywords, unresolvable `$ref`s, unknown formats. Paths are relative to the schema.
 *
 * @returns an empty list when the schema compiles.
 */
export function checkJsonSchema(schema: Record<string, unknown>): ValidationIssue[] {
  try {
    compileJsonSchema(schema);
    return [];
  } catch (error) {
    if (error instanceof InvalidJsonSchemaError) return error.issues;
    throw error;
  }
}

/**
 * Compiles `schema` (cached by its JSON text, at most {@link MAX_CACHED_SCHEMAS} kept).
 *
 * @throws InvalidJsonSchemaError when the schema is not valid JSON Schema.
 */
export function compileJsonSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  const cached = compiled.get(key);
  if (cached) return cached;
  const validate = compileUncached(schema);
  if (compiled.size >= MAX_CACHED_SCHEMAS) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, validate);
  return validate;
}

function compileUncached(schema: Record<string, unknown>): ValidateFunction {
  if (typeof schema.$schema === 'string' && !DRAFT_07_URIS.has(schema.$schema) && !DRAFT_2020_URIS.has(schema.$schema)) {
    throw new InvalidJsonSchemaError([
      { path: '$schema', message: `unsupported JSON Schema dialect ${JSON.stringify(schema.$schema)}; use draft 2020-12 or draft-07` },
    ]);
  }
  const ajv = ajvFor(schema);
  if (!ajv.validateSchema(schema)) {
    throw new InvalidJsonSchemaError(metaSchemaIssues(ajv.errors ?? [], schema));
  }
  try {
    // Compiling also catches what the meta-schema cannot: unknown keywords and formats, bad `$ref`s.
    return ajv.compile(schema);
  } catch (error) {
    throw new InvalidJsonSchemaError([{ path: '', message: error instanceof Error ? error.message : String(error) }]);
  } finally {
    // The validator keeps working on its own. Unregistering lets two agents use the same `$id`, and
    // leaves this module's bounded cache as the only place compiled schemas are kept.
    ajv.removeSchema(schema);
  }
}

/**
 * One issue per location: meta-schemas combine sub-schemas (`anyOf`), so one mistake yields several
 * errors at the same path, of which ajv reports the most specific first.
 */
function metaSchemaIssues(errors: ErrorObject[], schema: unknown): ValidationIssue[] {
  const byPath = new Map<string, string>();
  for (const error of errors) {
    const path = formatPath(pointerToSegments(error.instancePath, schema));
    if (!byPath.has(path)) byPath.set(path, describeMetaError(error));
  }
  return [...byPath].map(([path, message]) => ({ path, message }));
}

function describeMetaError(error: ErrorObject): string {
  const allowed: unknown = error.params.allowedValues;
  if (error.keyword === 'enum' && Array.isArray(allowed)) return `must be one of: ${allowed.join(', ')}`;
  return error.message ?? 'is invalid';
}
