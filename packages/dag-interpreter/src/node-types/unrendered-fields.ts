/**
 * Config fields that are not `{{ }}` templates rendered before a node runs. They hold code or
 * expressions evaluated elsewhere: a `forEach` body is rendered per item against the item's own context,
 * an agent's tools per call with `args`, and `code` source is JavaScript that may contain `{{`.
 */
export const UNRENDERED_CONFIG_FIELDS: Readonly<Record<string, readonly string[]>> = {
  forEach: ['items', 'nodes', 'edges', 'output'],
  agent: ['tools', 'outputSchema'],
  code: ['source'],
  // Rendered when (and if) the escalation fires, with `approval` in scope.
  approval: ['escalation', 'form'],
};

/**
 * Splits a config into the part rendered before the node runs and the fields kept verbatim.
 * @returns `{ renderable, verbatim }`: both shallow copies of `config` (an object), partitioned by key.
 */
export function renderableConfig(
  type: string,
  config: Record<string, unknown>,
): { renderable: Record<string, unknown>; verbatim: Record<string, unknown> } {
  const fields = UNRENDERED_CONFIG_FIELDS[type] ?? [];
  const renderable: Record<string, unknown> = {};
  const verbatim: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (fields.includes(key)) verbatim[key] = value;
    else renderable[key] = value;
  }
  return { renderable, verbatim };
}
