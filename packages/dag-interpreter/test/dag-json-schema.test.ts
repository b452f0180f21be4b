/** The published DAG JSON Schema: valid JSON Schema, accepting what `validateDag` accepts, and per-type config. */
import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { checkJsonSchema, compileJsonSchema, dagJsonSchema, DAG_JSON_SCHEMA_ID, validateDag } from '@trellis/dag-interpreter';
import { catalogue, exampleDag } from './fixtures.js';

const schema = dagJsonSchema(catalogue);
const validate = compileJsonSchema(schema);

/**
 * Instance paths (JSON Pointers) of the errors that locate a problem, leaving out those that only explain
 * another: `if` failures, `anyOf` summaries, and a value failing the template-string alternative.
 */
function errorPaths(dag: unknown): string[] {
  validate(dag);
  const errors: ErrorObject[] = validate.errors ?? [];
  const explaining = (error: ErrorObject) => error.keyword === 'if' || error.keyword === 'anyOf' || /\/anyOf\/1\/(type|pattern)$/.test(error.schemaPath);
  return [...new Set(errors.filter((error) => !explaining(error)).map((error) => error.instancePath))];
}

/** A DAG whose `forEach` body holds one node. */
function loopDag(bodyNode: Record<string, unknown>): Record<string, unknown> {
  return { nodes: [{ id: 'each', type: 'forEach', config: { items: 'input.items', nodes: [bodyNode] } }] };
}

describe('dagJsonSchema', () => {
  it('is a draft 2020-12 schema with its own id, valid under strict ajv', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(DAG_JSON_SCHEMA_ID);
    expect(checkJsonSchema(schema)).toEqual([]);
  });

  it('lists every node type of the catalogue with its description', () => {
    const node = (schema.$defs as Record<string, { properties: { type: { oneOf: { const: string; description: string }[] } } }>).node;
    const listed = node.properties.type.oneOf;
    expect(listed.map((choice) => choice.const).sort()).toEqual(catalogue.types());
    for (const choice of listed) expect(choice.description).toBe(catalogue.get(choice.const)?.description);
  });

  it('accepts a DAG that validateDag accepts, including a forEach body', () => {
    const dags = [exampleDag(), loopDag({ id: 'fetch', type: 'http', config: { url: '{{ input.item }}' } })];
    for (const dag of dags) {
      expect(validateDag(dag, { catalogue }).ok).toBe(true);
      expect(errorPaths(dag)).toEqual([]);
    }
  });

  it('checks a node config against the schema of the node type', () => {
    const dag = { nodes: [{ id: 'fetch', type: 'http', config: { url: 42 } }] };
    expect(errorPaths(dag)).toEqual(['/nodes/0/config/url']);
    const asDelay = { nodes: [{ id: 'fetch', type: 'delay', config: { url: 'http://127.0.0.1/' } }] };
    expect(errorPaths(asDelay)).toContain('/nodes/0/config');
  });

  it('rejects unknown node types, and non-connectors as compensation', () => {
    expect(errorPaths({ nodes: [{ id: 'a', type: 'teleport' }] })).toEqual(['/nodes/0/type']);
    const compensatedBySet = {
      nodes: [{ id: 'a', type: 'http', config: { url: 'http://127.0.0.1/' }, compensate: { type: 'set', config: {} } }],
    };
    expect(errorPaths(compensatedBySet)).toEqual(['/nodes/0/compensate/type']);
  });

  it('describes forEach body nodes and edges as DAG nodes and edges', () => {
    expect(errorPaths(loopDag({ id: 'fetch', type: 'http', config: { url: 42 } }))).toEqual(['/nodes/0/config/nodes/0/config/url']);
    expect(errorPaths(loopDag({ id: 'not an id', type: 'http', config: { url: 'http://127.0.0.1/' } }))).toEqual(['/nodes/0/config/nodes/0/id']);
    const badEdge = { nodes: [{ id: 'each', type: 'forEach', config: { items: 'input.items', nodes: [], edges: [{ from: 'a' }] } }] };
    expect(errorPaths(badEdge)).toEqual(['/nodes/0/config/edges/0']);
  });

  it('rejects fields the DAG format does not have, with the path', () => {
    expect(errorPaths({ nodes: [], extra: true })).toEqual(['']);
    expect(errorPaths({ nodes: [{ id: 'a', type: 'set', config: { value: 1 }, retries: 3 }] })).toEqual(['/nodes/0']);
  });
});
