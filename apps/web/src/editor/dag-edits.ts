/**
 * Edits of a DAG document as the editor makes them: each takes the DAG as written (plain JSON) and returns
 * a new one, leaving fields it does not touch exactly as they were, so the JSON view only changes where the
 * canvas did.
 */

/** A node as written in the DAG JSON. */
export interface DagNodeDoc {
  id: string;
  type: string;
  name?: string;
  config?: Record<string, unknown>;
  retry?: Record<string, unknown>;
  timeout?: string;
  onError?: 'fail' | 'continue' | 'route';
  compensate?: Record<string, unknown>;
  [field: string]: unknown;
}

/** An edge as written in the DAG JSON. */
export interface DagEdgeDoc {
  from: string;
  to: string;
  condition?: string;
  on?: 'success' | 'error';
  [field: string]: unknown;
}

/** The DAG document the editor holds. */
export interface DagDoc {
  nodes: DagNodeDoc[];
  edges?: DagEdgeDoc[];
  [field: string]: unknown;
}

/** The first free id `<type>`, `<type>_2`, `<type>_3`… (type letters outside `[A-Za-z0-9_]` dropped). */
export function freeNodeId(dag: DagDoc, type: string): string {
  const base = type.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9])/, '_') || 'node';
  const taken = new Set(dag.nodes.map((node) => node.id));
  if (!taken.has(base)) return base;
  let suffix = 2;
  while (taken.has(`${base}_${suffix}`)) suffix += 1;
  return `${base}_${suffix}`;
}

/** Adds a node of `type` with an empty config; returns the DAG and the new node's id. */
export function addNode(dag: DagDoc, type: string): { dag: DagDoc; id: string } {
  const id = freeNodeId(dag, type);
  return { dag: { ...dag, nodes: [...dag.nodes, { id, type, config: {} }] }, id };
}

/** Adds the edge `from → to`, unless one already joins them (or they are the same node). */
export function connect(dag: DagDoc, from: string, to: string): DagDoc {
  const edges = dag.edges ?? [];
  if (from === to || edges.some((edge) => edge.from === from && edge.to === to)) return dag;
  return { ...dag, edges: [...edges, { from, to }] };
}

/** Replaces node `id` with `change(node)`; an emptied optional field (undefined) is removed. */
export function updateNode(dag: DagDoc, id: string, change: (node: DagNodeDoc) => DagNodeDoc): DagDoc {
  return { ...dag, nodes: dag.nodes.map((node) => (node.id === id ? withoutUndefined(change(node)) : node)) };
}

/** Removes node `id` and every edge that touches it. */
export function removeNode(dag: DagDoc, id: string): DagDoc {
  return {
    ...dag,
    nodes: dag.nodes.filter((node) => node.id !== id),
    ...(dag.edges && { edges: dag.edges.filter((edge) => edge.from !== id && edge.to !== id) }),
  };
}

/** Replaces the edge at `index` with `change(edge)`; an emptied optional field (undefined) is removed. */
export function updateEdge(dag: DagDoc, index: number, change: (edge: DagEdgeDoc) => DagEdgeDoc): DagDoc {
  return { ...dag, edges: (dag.edges ?? []).map((edge, at) => (at === index ? withoutUndefined(change(edge)) : edge)) };
}

/** Removes the edge at `index`. */
export function removeEdge(dag: DagDoc, index: number): DagDoc {
  return { ...dag, edges: (dag.edges ?? []).filter((_edge, at) => at !== index) };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
