/** Graph rules: unique node ids, edges between existing nodes, no self-loops, no cycles. */
import type { EdgeView, NodeView } from './dag-views.js';
import { formatPath, type ValidationIssue } from './issues.js';

/** Reports duplicate node ids at the later declarations' `nodes[i].id`. */
export function checkUniqueNodeIds(nodes: readonly NodeView[]): ValidationIssue[] {
  const firstIndex = new Map<string, number>();
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    if (node.id === undefined) continue;
    const first = firstIndex.get(node.id);
    if (first === undefined) firstIndex.set(node.id, node.index);
    else issues.push({ path: formatPath(['nodes', node.index, 'id']), message: `duplicate node id "${node.id}" (first declared at nodes[${first}])` });
  }
  return issues;
}

/** Reports edge endpoints that name no node, and edges from a node to itself. */
export function checkEdgeEndpoints(nodes: readonly NodeView[], edges: readonly EdgeView[]): ValidationIssue[] {
  const ids = new Set(nodes.flatMap((node) => (node.id === undefined ? [] : [node.id])));
  const issues: ValidationIssue[] = [];
  for (const edge of edges) {
    if (edge.from !== undefined && !ids.has(edge.from)) {
      issues.push({ path: formatPath(['edges', edge.index, 'from']), message: `edge source "${edge.from}" is not a node` });
    }
    if (edge.to !== undefined && !ids.has(edge.to)) {
      issues.push({ path: formatPath(['edges', edge.index, 'to']), message: `edge target "${edge.to}" is not a node` });
    }
    if (edge.from !== undefined && edge.from === edge.to && ids.has(edge.from)) {
      issues.push({ path: formatPath(['edges', edge.index]), message: `self-loop: edge from "${edge.from}" to itself` });
    }
  }
  return issues;
}

/**
 * Reports each cycle once, at the edge that closes it, naming its nodes in order (`cycle: a → b → c → a`).
 *
 * Deterministic: a depth-first search starting from nodes in declaration order and following edges in
 * declaration order; a cycle is reported when an edge leads back to a node still on the search path.
 * Self-loops and edges to unknown nodes are left to {@link checkEdgeEndpoints}. Iterative, so very long
 * chains cannot overflow the call stack.
 */
export function checkAcyclic(nodes: readonly NodeView[], edges: readonly EdgeView[]): ValidationIssue[] {
  const order: string[] = [];
  const successors = new Map<string, { to: string; edgeIndex: number }[]>();
  for (const node of nodes) {
    if (node.id === undefined || successors.has(node.id)) continue;
    order.push(node.id);
    successors.set(node.id, []);
  }
  for (const edge of edges) {
    if (edge.from === undefined || edge.to === undefined || edge.from === edge.to) continue;
    if (!successors.has(edge.to)) continue;
    successors.get(edge.from)?.push({ to: edge.to, edgeIndex: edge.index });
  }

  const issues: ValidationIssue[] = [];
  const reported = new Set<string>();
  const finished = new Set<string>();
  for (const root of order) {
    if (finished.has(root)) continue;
    // The current search path, with how many successors of each node were already followed.
    const path: { id: string; next: number }[] = [{ id: root, next: 0 }];
    const onPath = new Set([root]);
    while (path.length > 0) {
      const top = path[path.length - 1];
      const outgoing = successors.get(top.id)!;
      if (top.next >= outgoing.length) {
        path.pop();
        onPath.delete(top.id);
        finished.add(top.id);
        continue;
      }
      const { to, edgeIndex } = outgoing[top.next++];
      if (onPath.has(to)) {
        const cycle = [...path.slice(path.findIndex((entry) => entry.id === to)).map((entry) => entry.id), to];
        const key = canonicalCycleKey(cycle);
        if (!reported.has(key)) {
          reported.add(key);
          issues.push({ path: formatPath(['edges', edgeIndex]), message: `cycle: ${cycle.join(' → ')}` });
        }
      } else if (!finished.has(to)) {
        path.push({ id: to, next: 0 });
        onPath.add(to);
      }
    }
  }
  return issues;
}

/** The same cycle found from another starting node is the same rotation: key it from its smallest id. */
function canonicalCycleKey(cycle: readonly string[]): string {
  const members = cycle.slice(0, -1);
  let start = 0;
  members.forEach((id, index) => {
    if (id < members[start]) start = index;
  });
  return [...members.slice(start), ...members.slice(0, start)].join('\u0000');
}
