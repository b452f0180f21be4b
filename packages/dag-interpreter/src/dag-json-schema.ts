/**
 * The DAG format as one published JSON Schema (draft 2020-12), for editors outside Trellis, the
 * dashboard's JSON editor and DAG-drafting models. Built from the same zod schemas and node-type
 * catalogue that `validateDag` uses, so the two cannot drift apart.
 */
import { z, type ZodType } from 'zod';
import { dagSchema, edgeSchema, nestedEdgesSchema, nestedNodesSchema, nodeSchema } from './dag-schema.js';
import type { NodeTypeCatalogue, NodeTypeEntry } from './node-types/catalogue.js';

/** A JSON Schema document or subschema. */
export type JsonSchemaObject = Record<string, unknown>;

/** `$id` of the published DAG schema; bumps with the DAG format's version. */
export const DAG_JSON_SCHEMA_ID = 'urn:trellis:dag:v1';

const NODE_REF = '#/$defs/node';
const EDGE_REF = '#/$defs/edge';
/** A string holding a `{{ … }}` template: its value, and so its type, is only known once rendered. */
const TEMPLATE_STRING = { type: 'string', pattern: '\\{\\{', description: 'A `{{ expression }}` template, rendered when the node runs.' };
/** Annotations kept on a subschema when its constraints are moved into an `anyOf`. */
const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples']);

/**
 * The DAG format as a JSON Schema: the shape, plus each node type's config schema selected by the node's
 * `type` (`if`/`then` per type, so editors report errors against the right config), `type` listed with
 * each type's description, and `forEach` bodies described as DAG nodes and edges (`$ref`).
 *
 * It describes input as written (defaults make fields optional), and any config value may instead be a
 * string holding a `{{ … }}` template, as validation allows. It checks less than `validateDag`: graph
 * rules (unique ids, edge targets, cycles), expression syntax, per-type checks and refinements JSON Schema
 * cannot express are left to it, so a DAG valid here may still fail validation, never the other way round.
 *
 * @param catalogue the node types of the deployment (`nodeTypeCatalogue()` of `@trellis/connectors`).
 * @returns a fresh JSON-serialisable object.
 */
export function dagJsonSchema(catalogue: NodeTypeCatalogue): JsonSchemaObject {
  const entries = catalogue.entries();
  const connectors = entries.filter((entry) => entry.canCompensate);
  const node = subschema(nodeSchema);
  const properties = node.properties as Record<string, JsonSchemaObject>;
  properties.type = { ...properties.type, ...typeChoice(entries) };
  const compensate = properties.compensate as JsonSchemaObject;
  (compensate.properties as Record<string, JsonSchemaObject>).type = {
    description: 'The connector type of the undo action.',
    ...typeChoice(connectors),
  };
  compensate.allOf = configByType(connectors);
  node.allOf = configByType(entries);

  const dag = subschema(dagSchema);
  const dagProperties = dag.properties as Record<string, JsonSchemaObject>;
  dagProperties.nodes = { ...dagProperties.nodes, items: { $ref: NODE_REF } };
  dagProperties.edges = { ...dagProperties.edges, items: { $ref: EDGE_REF } };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: DAG_JSON_SCHEMA_ID,
    title: 'Trellis DAG',
    description: 'An agent definition: nodes, the edges between them, an optional input schema and output expression.',
    ...dag,
    $defs: { node, edge: subschema(edgeSchema) },
  };
}

/** `type` as one of the entries' names, each with its description. */
function typeChoice(entries: readonly NodeTypeEntry[]): JsonSchemaObject {
  return { type: 'string', oneOf: entries.map((entry) => ({ const: entry.type, description: entry.description })) };
}

/** Per entry: when `type` is the entry's, `config` follows the entry's config schema. */
function configByType(entries: readonly NodeTypeEntry[]): JsonSchemaObject[] {
  return entries.map((entry) => ({
    if: { properties: { type: { const: entry.type } }, required: ['type'] },
    then: { properties: { config: subschema(entry.configSchema, { templated: true }) } },
  }));
}

/**
 * A zod schema as a subschema of the DAG document: input shape, no `$schema` of its own, and nested DAG
 * parts as references to the document's node and edge definitions.
 *
 * @param options.templated - below the root, every value may instead be a template string (node configs).
 */
function subschema(schema: ZodType, options: { templated?: boolean } = {}): JsonSchemaObject {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema, path }) => {
      if (zodSchema === nestedNodesSchema) jsonSchema.items = { $ref: NODE_REF };
      if (zodSchema === nestedEdgesSchema) jsonSchema.items = { $ref: EDGE_REF };
      if (options.templated && path.length > 0) allowTemplate(jsonSchema as JsonSchemaObject);
    },
  }) as JsonSchemaObject;
  return json;
}

/** True for a schema {@link allowTemplate} already rewrote (zod hands a wrapper its inner schema's result). */
function acceptsTemplate(jsonSchema: JsonSchemaObject): boolean {
  const choices = jsonSchema.anyOf;
  return Array.isArray(choices) && choices.some((choice: JsonSchemaObject) => choice.pattern === TEMPLATE_STRING.pattern && choice.type === 'string');
}

/**
 * Rewrites `jsonSchema` in place to also accept a template string, keeping its annotations outside the
 * `anyOf`. Schemas that accept any string already are left as they are.
 */
function allowTemplate(jsonSchema: JsonSchemaObject): void {
  const constraints = Object.fromEntries(Object.entries(jsonSchema).filter(([key]) => !ANNOTATIONS.has(key)));
  const keys = Object.keys(constraints);
  if (keys.length === 0 || (keys.length === 1 && constraints.type === 'string') || acceptsTemplate(jsonSchema)) return;
  for (const key of keys) delete jsonSchema[key];
  jsonSchema.anyOf = [constraints, TEMPLATE_STRING];
}
