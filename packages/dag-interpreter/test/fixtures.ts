/** Shared test fixtures: the real node-type catalogue and the documented example DAG. */
import { nodeTypeCatalogue } from '@trellis/connectors';

/** The catalogue the API validates against (workflow node types and the built-in connectors). */
export const catalogue = nodeTypeCatalogue();

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
