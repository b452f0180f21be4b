/**
 * Which nodes a retry of a failed run reuses. Pure; used by the API's `retryRun`.
 */
import type { NodeStatus, ReusedNodeOutput } from './activity-contract.js';
import type { Dag } from './dag-schema.js';

/** A node of the failed run, as stored (`node_runs`). */
export interface RecordedNode {
  nodeId: string;
  status: NodeStatus;
  output: unknown;
  attempts: number;
  /** The node's compensation, if it ran when the earlier run failed. */
  compensation?: { status: string } | null;
}

/** What `planRetry` decided. */
export interface RetryPlan {
  /** Outputs handed to the new run, by node id: every node that succeeded and is not re-executed. */
  reuse: Record<string, ReusedNodeOutput>;
  /** Nodes the new run executes again: the starting nodes and everything downstream of them, in DAG order. */
  rerun: string[];
}

/**
 * Plans a retry: it re-executes from `fromNode`, or else from every node that FAILED in the earlier run,
 * together with all their descendants, and reuses the recorded output of every other node that SUCCEEDED.
 * Nodes that never ran (PENDING, SKIPPED, cancelled) are not reused, so they are evaluated afresh. A node
 * whose compensation succeeded was undone, so it restarts too (with its descendants).
 *
 * @param dag - the version's DAG (the new run uses the same version).
 * @param recorded - the failed run's nodes.
 * @param fromNode - a node id of `dag` to restart from, even if it succeeded.
 * @throws RangeError when `fromNode` is not a node of `dag`.
 */
export function planRetry(dag: Dag, recorded: readonly RecordedNode[], fromNode?: string): RetryPlan {
  const ids = new Set(dag.nodes.map((node) => node.id));
  if (fromNode !== undefined && !ids.has(fromNode)) throw new RangeError(`"${fromNode}" is not a node of this DAG`);
  const byId = new Map(recorded.map((node) => [node.nodeId, node]));
  const failed = recorded.filter((node) => node.status === 'FAILED').map((node) => node.nodeId);
  const undone = recorded.filter((node) => node.compensation?.status === 'SUCCEEDED').map((node) => node.nodeId);
  const starts = [...(fromNode !== undefined ? [fromNode] : failed), ...undone].filter((id) => ids.has(id));

  const successors = new Map<string, string[]>();
  for (const edge of dag.edges) successors.set(edge.from, [...(successors.get(edge.from) ?? []), edge.to]);
  const rerun = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (rerun.has(id)) continue;
    rerun.add(id);
    stack.push(...(successors.get(id) ?? []));
  }

  const reuse: Record<string, ReusedNodeOutput> = {};
  for (const node of dag.nodes) {
    const previous = byId.get(node.id);
    if (!rerun.has(node.id) && previous?.status === 'SUCCEEDED') {
      reuse[node.id] = { output: previous.output ?? null, attempts: previous.attempts };
    }
  }
  return { reuse, rerun: dag.nodes.map((node) => node.id).filter((id) => rerun.has(id)) };
}
