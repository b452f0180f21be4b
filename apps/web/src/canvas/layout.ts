import ELK from 'elkjs/lib/elk-api.js';

/** A node to place: its id and the size it is drawn at (px), or the sub-flow it holds (a `forEach` body). */
export interface LayoutNode {
  id: string;
  width: number;
  height: number;
  /** Nodes and edges laid out inside this node, which then takes the size they need. */
  body?: { nodes: LayoutNode[]; edges: { from: string; to: string }[] };
}

/**
 * Where each node goes (top-left corner, px), by id: top-level nodes on the canvas, body nodes relative to
 * the node holding them (as React Flow places child nodes); `size` for nodes holding a body.
 */
export type Positions = Map<string, { x: number; y: number; size?: { width: number; height: number } }>;

/** Room around a body inside its node (px): the top holds the node's own title. */
const BODY_PADDING = '[top=56,left=16,bottom=16,right=16]';

interface ElkNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkNode[];
  edges?: { id: string; sources: string[]; targets: string[] }[];
}

function toElk(node: LayoutNode): ElkNode {
  if (!node.body) return { id: node.id, width: node.width, height: node.height };
  return {
    id: node.id,
    layoutOptions: { ...LAYOUT_OPTIONS, 'elk.padding': BODY_PADDING },
    children: node.body.nodes.map(toElk),
    edges: node.body.edges.map((edge, index) => ({ id: `${node.id}#e${index}`, sources: [edge.from], targets: [edge.to] })),
  };
}

function collect(children: ElkNode[] | undefined, into: Positions): Positions {
  for (const child of children ?? []) {
    into.set(child.id, { x: child.x ?? 0, y: child.y ?? 0, ...(child.children && { size: { width: child.width ?? 0, height: child.height ?? 0 } }) });
    collect(child.children, into);
  }
  return into;
}

// ELK runs in a Web Worker, so laying out a large DAG never blocks the page.
const elk = new ELK({
  workerFactory: () => new Worker(new URL('elkjs/lib/elk-worker.min.js', import.meta.url), { type: 'classic' }),
});

/** ELK's options for every DAG: layered, left to right. */
const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '30',
  'elk.layered.spacing.nodeNodeBetweenLayers': '60',
  // Fewer crossing-minimisation sweeps (default 7) and no greedy switch pass: large DAGs lay out sooner,
  // and DAGs drawn from JSON rarely gain from the extra passes.
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
};

// A first, tiny layout while the page loads its data: the worker's compiled code warms up then, not
// when the first real DAG waits for it (about half of a 500-node layout's time in a cold worker).
void elk
  .layout({ id: 'warm-up', layoutOptions: LAYOUT_OPTIONS, children: [{ id: 'a', width: 1, height: 1 }, { id: 'b', width: 1, height: 1 }], edges: [{ id: 'e', sources: ['a'], targets: ['b'] }] })
  .catch(() => undefined);

/**
 * Layered left-to-right layout (ELK's `layered` algorithm, the Sugiyama method) of `nodes` and `edges`;
 * a node with a `body` is laid out as a compound node, its body inside it (ELK lays out each level of
 * the hierarchy on its own). Ids must be unique across levels.
 *
 * @throws ELK's error for an edge naming an unknown node
 */
export async function layoutDag(nodes: LayoutNode[], edges: { from: string; to: string }[]): Promise<Positions> {
  const graph = (await elk.layout({
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: nodes.map(toElk),
    edges: edges.map((edge, index) => ({ id: `e${index}`, sources: [edge.from], targets: [edge.to] })),
  } as never)) as unknown as ElkNode;
  return collect(graph.children, new Map());
}
