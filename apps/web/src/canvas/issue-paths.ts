import type { DagShape } from './dag-canvas';

/**
 * The node an issue's path is about: `nodes[2].config.url` is the third node's, `edges[0].to` the node the
 * first edge leads to (that is where a broken edge shows). Null for issues of the DAG as a whole.
 */
export function nodeOfIssue(dag: DagShape, path: string): string | null {
  const node = /^nodes\[(\d+)\]/.exec(path);
  if (node) return dag.nodes[Number(node[1])]?.id ?? null;
  const edge = /^edges\[(\d+)\](?:\.(from|to))?/.exec(path);
  if (edge) {
    const found = dag.edges?.[Number(edge[1])];
    return found ? (edge[2] === 'from' ? found.from : found.to) : null;
  }
  return null;
}
