import { Background, Controls, type Edge, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import { DagNode, type DagFlowNode, type DagNodeData, NODE_SIZE } from './dag-node';
import { layoutDag, type Positions } from './layout';

/** The DAG as stored in a version: nodes and edges (conditions and error edges drawn differently). */
export interface DagShape {
  nodes: { id: string; type: string }[];
  edges?: { from: string; to: string; when?: string; on?: string }[];
}

// Outside the component, as React Flow asks, so the node types are not re-registered on every render.
const NODE_TYPES = { dag: DagNode };

/**
 * A read-only canvas of `dag`, laid out automatically; `states` (by node id) add each node's run status.
 * The layout is computed once per DAG shape; status changes only update the nodes' data.
 */
export function DagCanvas({ dag, states }: { dag: DagShape; states?: Map<string, Omit<DagNodeData, 'nodeId' | 'type'>> }) {
  const edges = dag.edges ?? [];
  const shapeKey = JSON.stringify([dag.nodes.map((node) => node.id), edges.map((edge) => [edge.from, edge.to])]);
  // Positions with the shape they were computed for: the canvas waits for the layout of the current shape.
  const [layout, setLayout] = useState<{ key: string; positions: Positions } | null>(null);
  const [layoutError, setLayoutError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    layoutDag(dag.nodes.map((node) => ({ id: node.id, ...NODE_SIZE })), edges)
      .then((placed) => current && setLayout({ key: shapeKey, positions: placed }))
      .catch((error: unknown) => current && setLayoutError(String(error)));
    return () => {
      current = false;
    };
    // The layout depends on the shape only (`shapeKey`), not on the objects' identity.
  }, [shapeKey]);

  const positions = layout?.key === shapeKey ? layout.positions : null;
  const flowNodes = useMemo<DagFlowNode[]>(
    () =>
      dag.nodes.map((node) => ({
        id: node.id,
        type: 'dag',
        position: positions?.get(node.id) ?? { x: 0, y: 0 },
        data: { nodeId: node.id, type: node.type, ...states?.get(node.id) },
        draggable: false,
      })),
    [dag.nodes, positions, states],
  );
  const flowEdges = useMemo<Edge[]>(
    () =>
      edges.map((edge, index) => ({
        id: `${edge.from}->${edge.to}#${index}`,
        source: edge.from,
        target: edge.to,
        label: edge.on === 'error' ? 'on error' : edge.when,
        animated: false,
        style: edge.on === 'error' ? { stroke: '#dc2626', strokeDasharray: '6 4' } : undefined,
      })),
    [edges],
  );

  if (layoutError) return <p role="alert" className="error">The DAG could not be laid out: {layoutError}</p>;
  if (!positions) return <p>Laying out…</p>;
  return (
    <div className="dag-canvas" aria-label="DAG canvas">
      {/* Keyed by the shape, so a DAG that gained or lost nodes is fitted into view again. */}
      <ReactFlow key={shapeKey} nodes={flowNodes} edges={flowEdges} nodeTypes={NODE_TYPES} fitView onlyRenderVisibleElements nodesConnectable={false} proOptions={{ hideAttribution: true }}>
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
