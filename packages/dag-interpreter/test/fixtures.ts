/** Shared test fixtures: stand-in connector schemas and the documented example DAG. */
import { z } from 'zod';
import { durationSchema, workflowNodeConfigSchemas } from '@trellis/dag-interpreter';

/** Stand-ins for the connectors' schemas (the real ones live in @trellis/connectors). */
export const httpConfigSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  url: z.url(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  maxResponseBytes: z.number().int().positive().optional(),
  connectTimeout: durationSchema.optional(),
});

export const llmConfigSchema = z.strictObject({
  model: z.string(),
  prompt: z.string(),
  temperature: z.number().min(0).max(2).optional(),
});

export const nodeTypes = { ...workflowNodeConfigSchemas, http: httpConfigSchema, llm: llmConfigSchema };

/** The example DAG of the format's documentation. */
export function exampleDag(): Record<string, unknown> {
  return {
    inputSchema: { type: 'object', properties: { threshold: { type: 'number' } } },
    nodes: [
      {
        id: 'fetch',
        type: 'http',
        config: { method: 'GET', url: 'http://127.0.0.1:8080/items?limit={{ input.limit }}' },
        retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2 },
        timeout: '10s',
      },
      { id: 'summary', type: 'set', config: { value: { count: '{{ $count(nodes.fetch.output.body) }}' } } },
      {
        id: 'gate',
        type: 'approval',
        config: { message: 'Publish {{ nodes.summary.output.count }} items?', timeout: '1h', onTimeout: 'reject' },
      },
      { id: 'publish', type: 'http', config: { method: 'POST', url: 'http://127.0.0.1:8080/publish', body: '{{ nodes.summary.output }}' } },
    ],
    edges: [
      { from: 'fetch', to: 'summary' },
      { from: 'summary', to: 'gate', condition: 'nodes.summary.output.count > input.threshold' },
      { from: 'gate', to: 'publish', condition: 'nodes.gate.output.approved' },
    ],
    output: 'nodes.summary.output',
  };
}

/** A minimal valid DAG built from `nodes` (as `set` nodes when only ids are given) and `edges`. */
export function dagOf(nodes: Array<string | Record<string, unknown>>, edges: Array<Record<string, unknown>> = []): Record<string, unknown> {
  return {
    nodes: nodes.map((node) => (typeof node === 'string' ? { id: node, type: 'set', config: { value: 1 } } : node)),
    edges,
  };
}
