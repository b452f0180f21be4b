/** Which part of a node's config is rendered before the node runs. Workflow-safe. */
import { connectorTraitsOf } from './connector-traits.js';
import { isWorkflowNodeType, workflowNodeTypes } from './workflow-node-types.js';

/** Config fields of node type `type` that are kept verbatim (see `unrenderedFields`); `[]` for unknown types. */
export function unrenderedFieldsOf(type: string): readonly string[] {
  if (isWorkflowNodeType(type)) return workflowNodeTypes[type].unrenderedFields;
  return connectorTraitsOf(type).unrenderedFields ?? [];
}

/**
 * Splits a config into the part rendered before the node runs and the fields kept verbatim.
 * @returns `{ renderable, verbatim }`: both shallow copies of `config` (an object), partitioned by key.
 */
export function renderableConfig(
  type: string,
  config: Record<string, unknown>,
): { renderable: Record<string, unknown>; verbatim: Record<string, unknown> } {
  const fields = unrenderedFieldsOf(type);
  const renderable: Record<string, unknown> = {};
  const verbatim: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (fields.includes(key)) verbatim[key] = value;
    else renderable[key] = value;
  }
  return { renderable, verbatim };
}
