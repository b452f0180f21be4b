import ELK from 'elkjs/lib/elk-api.js';

/** A node to place: its id and the size it is drawn at (px). */
export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

/** Where each node goes (top-left corner, px), by id. */
export type Positions = Map<string, { x: number; y: number }>;

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
 * Layered left-to-right layout (ELK's `layered` algorithm, the Sugiyama method) of `nodes` and `edges`.
 *
 * @throws ELK's error for an edge naming an unknown node
 */
export async function layoutDag(nodes: LayoutNode[], edges: { from: string; to: string }[]): Promise<Positions> {
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: nodes.map((node) => ({ id: node.id, width: node.width, height: node.height })),
    edges: edges.map((edge, index) => ({ id: `e${index}`, sources: [edge.from], targets: [edge.to] })),
  });
  return new Map((graph.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
}
