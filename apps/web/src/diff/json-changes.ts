import { create } from 'jsondiffpatch';
import { format as jsonPatchOf } from 'jsondiffpatch/formatters/jsonpatch';

/** One changed place of a JSON value: an RFC 6902 operation and its JSON Pointer path. */
export interface JsonChange {
  op: string;
  path: string;
}

// Arrays of objects with an `id` (DAG nodes) are matched by it, so a moved item is not reported as changed.
const differ = create({ objectHash: (item: object, index?: number) => String((item as { id?: string }).id ?? index) });

/** Where `after` differs from `before` (jsondiffpatch's semantic diff as JSON Patch operations); empty when equal. */
export function jsonChanges(before: unknown, after: unknown): JsonChange[] {
  const delta = differ.diff(before, after);
  return delta ? jsonPatchOf(delta).map((operation) => ({ op: operation.op, path: operation.path })) : [];
}
