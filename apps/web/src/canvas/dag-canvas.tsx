import { Background, type Connection, Controls, type Edge, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { CHANGE_LOOK, type Change, edgeKey } from './change';
import { DagNode, type DagFlowNode, type DagNodeData, NODE_SIZE } from './dag-node';
import { type LayoutNode, layoutDag, type Positions } from './layout';

/** The DAG as stored in a version: nodes and edges (conditions and error edges drawn differently). */
export interface DagShape {
  nodes: { id: string; type: string; config?: unknown }[];
  edges?: { from: string; to: string; condition?: string; on?: string }[];
}

/** A `forEach` node's inline body, drawn inside it as a sub-flow; null for other nodes. */
function bodyOf(node: DagShape['nodes'][number]): DagShape | null {
  const config = node.config as { nodes?: unknown; edges?: unknown } | undefined;
  if (node.type !== 'forEach' || !Array.isArray(config?.nodes)) return null;
  return { nodes: config.nodes as DagShape['nodes'], edges: Array.isArray(config.edges) ? (config.edges as DagShape['edges']) : [] };
}

/** Body nodes' canvas ids: `<forEach id>/<body node id>`, unique across levels. */
function scoped(prefix: string, id: string): string {
  return prefix ? `${prefix}/${id}` : id;
}

function layoutNodesOf(dag: DagShape, prefix: string): LayoutNode[] {
  return dag.nodes.map((node) => {
    const id = scoped(prefix, node.id);
    const body = bodyOf(node);
    return body
      ? { id, ...NODE_SIZE, body: { nodes: layoutNodesOf(body, id), edges: (body.edges ?? []).map((edge) => ({ from: scoped(id, edge.from), to: scoped(id, edge.to) })) } }
      : { id, ...NODE_SIZE };
  });
}

/** Every body node and edge of the DAG's `forEach` nodes, with their canvas ids and parents. */
function bodyParts(dag: DagShape, prefix: string): { nodes: { id: string; type: string; parentId: string }[]; edges: { id: string; source: string; target: string; on?: string; condition?: string }[] } {
  const parts: ReturnType<typeof bodyParts> = { nodes: [], edges: [] };
  for (const node of dag.nodes) {
    const body = bodyOf(node);
    if (!body) continue;
    const parentId = scoped(prefix, node.id);
    for (const child of body.nodes) parts.nodes.push({ id: scoped(parentId, child.id), type: child.type, parentId });
    for (const edge of body.edges ?? []) parts.edges.push({ id: `${parentId}/${edge.from}->${edge.to}`, source: scoped(parentId, edge.from), target: scoped(parentId, edge.to), on: edge.on, condition: edge.condition });
    const nested = bodyParts(body, parentId);
    parts.nodes.push(...nested.nodes);
    parts.edges.push(...nested.edges);
  }
  return parts;
}

/** What an interactive canvas reports: which node or edge (by index) was picked and, when editing, a drawn connection. */
export interface CanvasEditing {
  /** Absent: nodes cannot be connected (a run's canvas only picks nodes). */
  onConnect?: (from: string, to: string) => void;
  onSelect: (selection: CanvasSelection | null) => void;
  selection: CanvasSelection | null;
}

/** A picked node (by id) or edge (by its index in `edges`). */
export type CanvasSelection = { kind: 'node'; id: string } | { kind: 'edge'; index: number };

/** What a node shows beside its id and type: run status, validation issues, diff change. */
export type NodeLook = Omit<DagNodeData, 'nodeId' | 'type'>;

// Outside the component, as React Flow asks, so the node types are not re-registered on every render.
const NODE_TYPES = { dag: DagNode };
const ERROR_EDGE = { stroke: '#dc2626', strokeDasharray: '6 4' };

/**
 * A canvas of `dag`, laid out automatically; `states` (by node id) add each node's run status, issues or
 * diff change, `edgeChanges` (by {@link edgeKey}) colour changed edges. With `editing`, clicking picks a
 * node or an edge and, with its `onConnect`, handles can be dragged from one node to another to connect them.
 * The layout is computed once per DAG shape; status changes only update the nodes' data.
 */
export function DagCanvas({
  dag,
  states,
  edgeChanges,
  editing,
}: {
  dag: DagShape;
  states?: Map<string, NodeLook>;
  edgeChanges?: Map<string, Change>;
  editing?: CanvasEditing;
}) {
  const edges = dag.edges ?? [];
  const body = useMemo(() => bodyParts(dag, ''), [dag]);
  const shapeKey = JSON.stringify([dag.nodes.map((node) => node.id), edges.map((edge) => [edge.from, edge.to]), body.nodes.map((node) => node.id), body.edges.map((edge) => edge.id)]);
  // Positions with the shape they were computed for: the canvas waits for the layout of the current shape.
  const [layout, setLayout] = useState<{ key: string; positions: Positions } | null>(null);
  const [layoutError, setLayoutError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    layoutDag(layoutNodesOf(dag, ''), edges)
      .then((placed) => current && setLayout({ key: shapeKey, positions: placed }))
      .catch((error: unknown) => current && setLayoutError(String(error)));
    return () => {
      current = false;
    };
    // The layout depends on the shape only (`shapeKey`), not on the objects' identity.
  }, [shapeKey]);

  const selection = editing?.selection ?? null;
  const positions = layout?.key === shapeKey ? layout.positions : null;
  const flowNodes = useMemo<DagFlowNode[]>(
    () => [
      ...dag.nodes.map((node) => {
        const placed = positions?.get(node.id);
        return {
          id: node.id,
          type: 'dag' as const,
          position: placed ? { x: placed.x, y: placed.y } : { x: 0, y: 0 },
          data: { nodeId: node.id, type: node.type, size: placed?.size, ...states?.get(node.id) },
          draggable: false,
          selected: selection?.kind === 'node' && selection.id === node.id,
        };
      }),
      // Body nodes come after their parents, as React Flow requires, and move with them.
      ...body.nodes.map((node) => {
        const placed = positions?.get(node.id);
        return {
          id: node.id,
          type: 'dag' as const,
          parentId: node.parentId,
          extent: 'parent' as const,
          position: placed ? { x: placed.x, y: placed.y } : { x: 0, y: 0 },
          data: { nodeId: node.id.slice(node.parentId.length + 1), type: node.type, size: placed?.size, inBody: true },
          draggable: false,
          selectable: false,
        };
      }),
    ],
    [dag.nodes, body, positions, states, selection],
  );
  const flowEdges = useMemo<Edge[]>(
    () => [
      ...edges.map((edge, index) => {
        const change = edgeChanges?.get(edgeKey(edge));
        const picked = selection?.kind === 'edge' && selection.index === index;
        return {
          id: `${edge.from}->${edge.to}#${index}`,
          source: edge.from,
          target: edge.to,
          label: [edge.on === 'error' ? 'on error' : edge.condition, change && CHANGE_LOOK[change].label].filter(Boolean).join(' · ') || undefined,
          selected: picked,
          style: {
            ...(edge.on === 'error' && ERROR_EDGE),
            ...(change && { stroke: CHANGE_LOOK[change].colour, strokeWidth: 2 }),
            ...(picked && { strokeWidth: 3 }),
          },
          ariaLabel: `Edge ${edge.from} to ${edge.to}`,
        };
      }),
      ...body.edges.map((edge) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        label: edge.on === 'error' ? 'on error' : edge.condition,
        style: edge.on === 'error' ? ERROR_EDGE : undefined,
        selectable: false,
        zIndex: 1,
      })),
    ],
    [edges, body, edgeChanges, selection],
  );

  const onConnect = useCallback((connection: Connection) => editing?.onConnect?.(connection.source, connection.target), [editing]);
  if (layoutError) return <p role="alert" className="error">The DAG could not be laid out: {layoutError}</p>;
  if (!positions) return <p>Laying out…</p>;
  return (
    <div className="dag-canvas" aria-label="DAG canvas">
      {/* Keyed by the shape, so a DAG that gained or lost nodes is fitted into view again. */}
      <ReactFlow
        key={shapeKey}
        nodes={flowNodes}
        edges={flowEdges}
        nodeTypes={NODE_TYPES}
        fitView
        onlyRenderVisibleElements
        nodesConnectable={Boolean(editing?.onConnect)}
        onConnect={editing?.onConnect ? onConnect : undefined}
        onNodeClick={editing ? (_event, node) => editing.onSelect({ kind: 'node', id: node.parentId ? node.id.split('/')[0] : node.id }) : undefined}
        onEdgeClick={editing ? (_event, edge) => edge.id.includes('#') && editing.onSelect({ kind: 'edge', index: Number(edge.id.split('#').at(-1)) }) : undefined}
        onPaneClick={editing ? () => editing.onSelect(null) : undefined}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
