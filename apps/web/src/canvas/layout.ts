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

/**
 * Layered left-to-right layout (ELK's `layered` algorithm, the Sugiyama method) of `nodes` and `edges`.
 *
 * @throws ELK's error for an edge naming an unknown node
 */
export async function layoutDag(nodes: LayoutNode[], edges: { from: string; to: string }[]): Promise<Positions> {
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '30',
      'elk.layered.spacing.nodeNodeBetweenLayers': '60',
    },
    children: nodes.map((node) => ({ id: node.id, width: node.width, height: node.height })),
    edges: edges.map((edge, index) => ({ id: `e${index}`, sources: [edge.from], targets: [edge.to] })),
  });
  return new Map((graph.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
}
