import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { CHANGE_LOOK, type Change } from './change';
import { type NodeStatus, STATUS_LOOK } from './status';

/** What a node of the canvas shows. */
export type DagNodeData = {
  nodeId: string;
  type: string;
  status?: NodeStatus;
  attempts?: number;
  durationMs?: number | null;
  /** Problems the last validation pinned to this node (its config or its edges). */
  issues?: string[];
  /** How the node differs from the other version of a diff. */
  change?: Change;
  /** The laid-out size of a node holding a sub-flow (a `forEach` body drawn inside it). */
  size?: { width: number; height: number };
  /** A node of a `forEach` body, drawn inside its loop. */
  inBody?: boolean;
};

export type DagFlowNode = Node<DagNodeData, 'dag'>;

/** Width and height of a drawn node (px), for the layout. */
export const NODE_SIZE = { width: 190, height: 64 };

/** One DAG node: its id, type and, in a run, its status (icon and word), attempts and duration. */
export const DagNode = memo(function DagNode({ data, selected }: NodeProps<DagFlowNode>) {
  const look = data.status ? STATUS_LOOK[data.status] : undefined;
  const change = data.change ? CHANGE_LOOK[data.change] : undefined;
  const classes = ['dag-node', data.issues?.length && 'dag-node-invalid', selected && 'dag-node-selected', data.size && 'dag-node-group', data.inBody && 'dag-node-in-body']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={classes}
      data-node-id={data.nodeId}
      data-status={data.status ?? ''}
      data-invalid={data.issues?.length ? 'true' : undefined}
      data-change={data.change}
      data-in-body={data.inBody ? 'true' : undefined}
      title={data.issues?.join('\n')}
      style={{
        borderColor: data.issues?.length ? '#dc2626' : (change?.colour ?? look?.colour ?? '#cbd5e1'),
        borderStyle: data.change === 'removed' ? 'dashed' : undefined,
        width: data.size?.width ?? NODE_SIZE.width,
        height: data.size?.height ?? NODE_SIZE.height,
      }}
    >
      <Handle type="target" position={Position.Left} />
      <div className="dag-node-title">
        <strong>{data.nodeId}</strong>
        <span className="dag-node-type">{data.type}</span>
      </div>
      {data.issues?.length ? (
        <div className="dag-node-status" style={{ color: '#dc2626' }}>
          <span aria-hidden="true">⚠</span> {data.issues.length === 1 ? '1 issue' : `${data.issues.length} issues`}
        </div>
      ) : null}
      {change && (
        <div className="dag-node-status" style={{ color: change.colour }}>
          {change.label}
        </div>
      )}
      {look && (
        <div className="dag-node-status" style={{ color: look.colour }}>
          <span aria-hidden="true">{look.icon}</span> {look.label}
          {data.attempts !== undefined && data.attempts > 1 && <span> · {data.attempts} attempts</span>}
          {data.durationMs != null && <span> · {formatDuration(data.durationMs)}</span>}
        </div>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

function formatDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`;
}
