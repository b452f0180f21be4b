/** The node-type catalogue and the DAG JSON Schema as GraphQL queries, consistent with what `createAgent` accepts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeTypeCatalogue } from '@trellis/connectors';
import { compileJsonSchema, dagJsonSchema } from '@trellis/dag-interpreter';
import { type ApiTestContext, startTestApi } from './support/api-test-context.js';

let ctx: ApiTestContext;
beforeAll(async () => {
  ctx = await startTestApi();
});
afterAll(async () => {
  await ctx?.close();
});

interface NodeTypeRow {
  type: string;
  kind: 'WORKFLOW' | 'CONNECTOR';
  description: string;
  configJsonSchema: { properties?: Record<string, unknown> };
  unrenderedFields: string[];
  canCompensate: boolean;
  notInLoopBody: string | null;
}

describe('nodeTypes and dagJsonSchema', () => {
  it('lists every node type of the catalogue with its kind, flags and config schema', async () => {
    const { nodeTypes } = await ctx.graphqlOk<{ nodeTypes: NodeTypeRow[] }>(
      `{ nodeTypes { type kind description configJsonSchema unrenderedFields canCompensate notInLoopBody } }`,
    );
    const catalogue = nodeTypeCatalogue();
    expect(nodeTypes.map((row) => row.type)).toEqual(catalogue.entries().map((entry) => entry.type));
    const byType = new Map(nodeTypes.map((row) => [row.type, row]));
    expect(byType.get('http')).toMatchObject({ kind: 'CONNECTOR', canCompensate: true, notInLoopBody: null });
    expect(byType.get('http')?.configJsonSchema.properties).toHaveProperty('url');
    expect(byType.get('code')?.unrenderedFields).toContain('source');
    expect(byType.get('approval')).toMatchObject({ kind: 'WORKFLOW', canCompensate: false });
    expect(byType.get('approval')?.notInLoopBody).toEqual(expect.any(String));
  });

  it('serves the DAG JSON Schema, which accepts a DAG createAgent stored and rejects one it refuses', async () => {
    const { dagJsonSchema: served } = await ctx.graphqlOk<{ dagJsonSchema: Record<string, unknown> }>(`{ dagJsonSchema }`);
    expect(served).toEqual(dagJsonSchema(nodeTypeCatalogue()));
    const validate = compileJsonSchema(served);

    const dag = { nodes: [{ id: 'fetch', type: 'http', config: { url: 'http://127.0.0.1:9/{{ input.path }}' } }] };
    const { createAgent } = await ctx.graphqlOk<{ createAgent: { liveVersion: { dag: unknown } } }>(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { liveVersion { dag } } }`, {
      input: { name: `node-types-${Date.now()}`, dag },
    });
    expect(validate(createAgent.liveVersion.dag)).toBe(true);

    const refused = { nodes: [{ id: 'fetch', type: 'http', config: { url: 42 } }] };
    const response = await ctx.graphql(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: `node-types-refused-${Date.now()}`, dag: refused },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(validate(refused)).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toContain('/nodes/0/config/url');
  });
});
