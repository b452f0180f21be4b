/**
 * Precomputed adjacency of a validated DAG. Pure and deterministic (workflow-safe).
 */
import type { Dag, EdgeSpec, NodeSpec } from '../dag-schema.js';

/** An edge with its index in `dag.edges`, for error paths such as `edges[3].condition`. */
export interface IndexedEdge extends EdgeSpec {
  index: number;
}

/** Adjacency lists and a topological order of a DAG's nodes. */
export interface DagGraph {
  nodes: Map<string, NodeSpec>;
  /** Node index in `dag.nodes`, for error paths such as `nodes[2].config`. */
  position: Map<string, number>;
  incoming: Map<string, IndexedEdge[]>;
  outgoing: Map<string, IndexedEdge[]>;
  /** Every node after all of its predecessors (Kahn's algorithm, declaration order among peers). */
  order: string[];
}

/**
 * Builds the graph of a DAG that already passed `validateDag`.
 * @throws Error if the DAG has a cycle or an edge to an unknown node (validation prevents both).
 */
export function buildGraph(dag: Dag): DagGraph {
  const nodes = new Map<string, NodeSpec>();
  const position = new Map<string, number>();
  const incoming = new Map<string, IndexedEdge[]>();
  const outgoing = new Map<string, IndexedEdge[]>();
  dag.nodes.forEach((node, index) => {
    nodes.set(node.id, node);
    position.set(node.id, index);
    incoming.set(node.id, []);
    outgoing.set(node.id, []);
  });
  dag.edges.forEach((edge, index) => {
    const indexed = { ...edge, index };
    const into = incoming.get(edge.to);
    const from = outgoing.get(edge.from);
    if (!into || !from) throw new Error(`edges[${index}] links an unknown node`);
    into.push(indexed);
    from.push(indexed);
  });

  const remaining = new Map<string, number>();
  for (const [id, edges] of incoming) remaining.set(id, edges.length);
  const order: string[] = [];
  const ready = dag.nodes.filter((node) => remaining.get(node.id) === 0).map((node) => node.id);
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const edge of outgoing.get(id) ?? []) {
      const left = (remaining.get(edge.to) ?? 0) - 1;
      remaining.set(edge.to, left);
      if (left === 0) ready.push(edge.to);
    }
  }
  if (order.length !== nodes.size) throw new Error('the DAG has a cycle');
  return { nodes, position, incoming, outgoing, order };
}

/** Nodes with no outgoing edge, in declaration order. */
export function sinkNodes(graph: DagGraph): string[] {
  return [...graph.nodes.keys()].filter((id) => (graph.outgoing.get(id) ?? []).length === 0);
}
