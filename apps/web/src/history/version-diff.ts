import { type JsonChange, jsonChanges } from '../diff/json-changes';
import { type Change, edgeKey } from '../canvas/change';
import type { DagDoc, DagEdgeDoc, DagNodeDoc } from '../editor/dag-edits';

/** One node or edge that differs: its key, how, both sides, and the changed fields (RFC 6902 paths). */
export interface DiffEntry<T> {
  key: string;
  change: Change;
  before: T | undefined;
  after: T | undefined;
  /** Field-level operations from `before` to `after` (`replace /config/url`); empty for added and removed entries. */
  fields: JsonChange[];
}

/** How two versions of a DAG differ, node by node (matched by id) and edge by edge (by endpoints and branch). */
export interface VersionDiff {
  nodes: DiffEntry<DagNodeDoc>[];
  edges: DiffEntry<DagEdgeDoc>[];
  /** Changes outside nodes and edges (`inputSchema`, `output`). */
  other: JsonChange[];
  /** Both versions' nodes and edges together (removed ones kept), for one canvas to colour. */
  union: DagDoc;
}

/**
 * The semantic difference between DAG versions `before` and `after` (jsondiffpatch, matching nodes by id),
 * as the version history shows it.
 */
export function diffVersions(before: DagDoc, after: DagDoc): VersionDiff {
  const nodes = diffByKey(before.nodes, after.nodes, (node) => node.id);
  const edges = diffByKey(before.edges ?? [], after.edges ?? [], edgeKey);
  const { nodes: _n1, edges: _e1, ...beforeRest } = before;
  const { nodes: _n2, edges: _e2, ...afterRest } = after;
  return {
    nodes,
    edges,
    other: jsonChanges(beforeRest, afterRest),
    union: {
      nodes: [...after.nodes, ...nodes.filter((entry) => entry.change === 'removed').map((entry) => entry.before!)],
      edges: [...(after.edges ?? []), ...edges.filter((entry) => entry.change === 'removed').map((entry) => entry.before!)],
    },
  };
}

function diffByKey<T>(before: readonly T[], after: readonly T[], keyOf: (item: T) => string): DiffEntry<T>[] {
  const old = new Map(before.map((item) => [keyOf(item), item]));
  const entries: DiffEntry<T>[] = [];
  for (const item of after) {
    const key = keyOf(item);
    const previous = old.get(key);
    old.delete(key);
    if (previous === undefined) entries.push({ key, change: 'added', before: undefined, after: item, fields: [] });
    else {
      const fields = jsonChanges(previous, item);
      if (fields.length > 0) entries.push({ key, change: 'changed', before: previous, after: item, fields });
    }
  }
  for (const [key, item] of old) entries.push({ key, change: 'removed', before: item, after: undefined, fields: [] });
  return entries;
}
