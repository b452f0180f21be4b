/**
 * Lenient views of a raw DAG's nodes and edges: whatever fields have the right type, even when other parts
 * of the document are malformed, so one bad node does not hide problems elsewhere.
 */

/** The usable fields of `nodes[index]`. */
export interface NodeView {
  index: number;
  id?: string;
  type?: string;
  config?: Record<string, unknown>;
  timeout?: string;
  heartbeatTimeout?: string;
  retry?: Record<string, unknown>;
  onError?: string;
  compensate?: Record<string, unknown>;
}

/** The usable fields of `edges[index]`. */
export interface EdgeView {
  index: number;
  from?: string;
  to?: string;
  condition?: string;
  on?: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

function recordField(record: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = record[key];
  return isRecord(value) ? value : undefined;
}

/** Views of the objects in `dag.nodes` (entries that are not objects are skipped; zod reports them). */
export function viewNodes(dag: Record<string, unknown>): NodeView[] {
  if (!Array.isArray(dag.nodes)) return [];
  const views: NodeView[] = [];
  dag.nodes.forEach((node: unknown, index) => {
    if (!isRecord(node)) return;
    views.push({
      index,
      id: stringField(node, 'id'),
      type: stringField(node, 'type'),
      // An absent config defaults to `{}`; a present non-object one is a shape error reported by zod.
      config: node.config === undefined ? {} : recordField(node, 'config'),
      timeout: stringField(node, 'timeout'),
      heartbeatTimeout: stringField(node, 'heartbeatTimeout'),
      retry: recordField(node, 'retry'),
      onError: stringField(node, 'onError'),
      compensate: recordField(node, 'compensate'),
    });
  });
  return views;
}

/** Views of the objects in `dag.edges`. */
export function viewEdges(dag: Record<string, unknown>): EdgeView[] {
  if (!Array.isArray(dag.edges)) return [];
  const views: EdgeView[] = [];
  dag.edges.forEach((edge: unknown, index) => {
    if (!isRecord(edge)) return;
    views.push({ index, from: stringField(edge, 'from'), to: stringField(edge, 'to'), condition: stringField(edge, 'condition'), on: stringField(edge, 'on') });
  });
  return views;
}
