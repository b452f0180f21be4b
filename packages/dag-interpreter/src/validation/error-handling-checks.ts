/** Rules of `onError`, `on: "error"` edges and `compensate`. */
import type { NodeTypeCatalogue } from '../node-types/catalogue.js';
import { checkConfig } from './config-checks.js';
import type { EdgeView, NodeView } from './dag-views.js';
import { formatPath, type ValidationIssue } from './issues.js';

/**
 * Reports `on: "error"` edges leaving a node that does not route its errors, and nodes with
 * `onError: "route"` that have no such edge (their failure would silently end the branch).
 */
export function checkErrorRoutes(nodes: readonly NodeView[], edges: readonly EdgeView[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const byId = new Map(nodes.flatMap((node) => (node.id === undefined ? [] : [[node.id, node] as const])));
  const routed = new Set<string>();
  for (const edge of edges) {
    if (edge.on !== 'error' || edge.from === undefined) continue;
    routed.add(edge.from);
    const source = byId.get(edge.from);
    if (source && source.onError !== 'route') {
      issues.push({
        path: formatPath(['edges', edge.index, 'on']),
        message: `an "error" edge needs its source "${edge.from}" to set onError: "route"`,
      });
    }
  }
  for (const node of nodes) {
    if (node.onError === 'route' && node.id !== undefined && !routed.has(node.id)) {
      issues.push({ path: formatPath(['nodes', node.index, 'onError']), message: 'is "route" but no edge leaves this node with on: "error"' });
    }
  }
  return issues;
}

/**
 * Reports a `compensate` whose `type` is not a connector (workflow node types cannot compensate) and
 * config problems against that connector's schema, at `nodes[i].compensate.…`.
 */
export function checkCompensations(nodes: readonly NodeView[], catalogue: NodeTypeCatalogue): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    const type = node.compensate?.type;
    if (typeof type !== 'string' || type === '') continue;
    const entry = catalogue.get(type);
    if (!entry?.canCompensate) {
      const connectors = catalogue.entries().filter((candidate) => candidate.canCompensate).map((candidate) => candidate.type).sort().join(', ');
      issues.push({ path: formatPath(['nodes', node.index, 'compensate', 'type']), message: `must be a connector type (${connectors}), not "${type}"` });
      continue;
    }
    const config = node.compensate?.config ?? {};
    issues.push(...checkConfig(entry.configSchema, config, ['nodes', node.index, 'compensate', 'config']));
  }
  return issues;
}
