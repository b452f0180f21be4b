/**
 * Converts a tool's JSON Schema into the OpenAPI 3.0 subset Gemini accepts for function parameters
 * (the `Schema` object of the Gemini API, v1beta). Gemini rejects a request with a keyword it does not know,
 * so everything outside that subset is rewritten or dropped. The result only guides the model: the arguments
 * it sends are still validated against the original schema (`invokeTool`), so dropping a constraint loosens
 * nothing that matters.
 */

/**
 * Keywords kept as they are: the Gemini API `Schema` fields (type, format, title, description, nullable, enum,
 * items, minItems, maxItems, properties, required, minProperties, maxProperties, minLength, maxLength, pattern,
 * minimum, maximum, anyOf), source: https://ai.google.dev/api/caching#Schema.
 */
const KEPT_KEYWORDS = new Set([
  'title',
  'description',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
]);

/** `format` values Gemini accepts per type; others fail the request on the Gemini Developer API. */
const FORMATS: Record<string, ReadonlySet<string>> = {
  string: new Set(['enum', 'date-time']),
  number: new Set(['float', 'double']),
  integer: new Set(['int32', 'int64']),
};

/** `$ref` chains followed before giving up (guards recursive schemas, which Gemini cannot express anyway). */
const MAX_REF_DEPTH = 8;

type JsonObject = Record<string, unknown>;

/**
 * Rewrites `parameters` for a Gemini `functionDeclaration`:
 * - local `$ref`s (`#/$defs/...`, `#/definitions/...`) are inlined, up to {@link MAX_REF_DEPTH} deep;
 * - `type: [T, "null"]` becomes `type: T, nullable: true`; several non-null types become `anyOf`;
 * - `const: "x"` becomes `enum: ["x"]`; `oneOf` becomes `anyOf` (looser: "any" instead of "exactly one");
 * - `enum` is kept only when every value is a string; `format` only when Gemini accepts it for the type;
 * - `required` keeps only names present in `properties`; an object's empty `properties` is removed;
 * - sub-schemas without a type (`{}`, an unresolvable or too deep `$ref`) are left out, as Gemini requires one;
 * - dropped: `$schema`, `$id`, `$defs`, `definitions`, `$comment`, `additionalProperties`,
 *   `patternProperties`, `propertyNames`, `allOf`, `not`, `if`/`then`/`else`, `dependentRequired`,
 *   `dependentSchemas`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `uniqueItems`, `prefixItems`,
 *   `contains`, `unevaluated*`, `default`, `examples`, `readOnly`/`writeOnly`, tuple-form `items`, and any other
 *   keyword not in the Gemini subset.
 *
 * @returns the converted object schema, or `undefined` when the tool takes no parameters: Gemini rejects an
 *   OBJECT schema whose `properties` is empty, so the declaration must omit `parameters` instead.
 */
export function toGeminiParameters(parameters: Record<string, unknown>): Record<string, unknown> | undefined {
  const converted = convert(parameters, parameters, 0);
  if (converted.type === undefined && converted.properties !== undefined) converted.type = 'object';
  const properties = converted.properties as JsonObject | undefined;
  if (properties === undefined || Object.keys(properties).length === 0) return undefined;
  return converted;
}

function convert(schema: unknown, root: JsonObject, refDepth: number): JsonObject {
  if (!isObject(schema)) return {};
  const resolved = resolveRef(schema, root, refDepth);
  if (resolved !== schema) return convert(resolved, root, refDepth + 1);

  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (KEPT_KEYWORDS.has(key)) out[key] = value;
  }
  if (schema.nullable === true) out.nullable = true;
  applyType(schema.type, out);

  if (Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === 'string')) out.enum = schema.enum;
  else if (typeof schema.const === 'string') out.enum = [schema.const];
  if (out.enum !== undefined && out.type === undefined) out.type = 'string';

  if (typeof schema.format === 'string' && typeof out.type === 'string' && FORMATS[out.type]?.has(schema.format)) out.format = schema.format;

  if (isObject(schema.properties)) {
    const properties: JsonObject = {};
    for (const [name, property] of Object.entries(schema.properties)) {
      const converted = convert(property, root, refDepth);
      if (hasType(converted)) properties[name] = converted;
    }
    if (Object.keys(properties).length > 0) out.properties = properties;
    if (out.type === undefined) out.type = 'object';
    if (Array.isArray(schema.required)) {
      const required = schema.required.filter((name): name is string => typeof name === 'string' && name in properties);
      if (required.length > 0) out.required = required;
    }
  }
  if (isObject(schema.items)) {
    const items = convert(schema.items, root, refDepth);
    if (hasType(items)) out.items = items;
    if (out.type === undefined) out.type = 'array';
  }
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (variants !== undefined && out.anyOf === undefined) {
    const anyOf = variants.map((variant) => convert(variant, root, refDepth)).filter(hasType);
    if (anyOf.length > 0) out.anyOf = anyOf;
  }
  return out;
}

/**
 * Gemini requires a type on every schema. One without (JSON Schema's "any value", an unresolvable or too deep
 * `$ref`) is left out of `properties`, `items` and `anyOf`; the original schema still checks the arguments.
 */
function hasType(schema: JsonObject): boolean {
  return schema.type !== undefined || schema.anyOf !== undefined;
}

/** Sets `type` (and `nullable`) from a JSON Schema `type`, which may be a list. */
function applyType(type: unknown, out: JsonObject): void {
  if (typeof type === 'string') {
    if (type === 'null') out.nullable = true;
    else out.type = type;
    return;
  }
  if (!Array.isArray(type)) return;
  const types = type.filter((t): t is string => typeof t === 'string' && t !== 'null');
  if (types.length < type.length) out.nullable = true;
  if (types.length === 1) out.type = types[0];
  else if (types.length > 1) out.anyOf = types.map((t) => ({ type: t }));
}

/** The schema a local `$ref` points at, or `schema` itself when there is none to follow. */
function resolveRef(schema: JsonObject, root: JsonObject, refDepth: number): unknown {
  if (typeof schema.$ref !== 'string' || refDepth >= MAX_REF_DEPTH) return schema;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(schema.$ref);
  if (!match) return schema;
  const definitions = root[match[1]!];
  const name = match[2]!.replace(/~1/g, '/').replace(/~0/g, '~');
  const target = isObject(definitions) ? definitions[name] : undefined;
  if (!isObject(target)) return schema;
  // Keywords beside `$ref` (such as `description`) apply too, and win over the target's.
  const { $ref: _ref, ...siblings } = schema;
  return { ...target, ...siblings };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
