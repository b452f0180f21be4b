/**
 * What the workflow must know about some connectors before it hands their nodes to the `executeNode`
 * activity. The workflow bundle cannot import `@trellis/connectors` (it pulls in I/O and a WebAssembly
 * sandbox), so the flags each connector declares through `defineConnector` are mirrored here; a test
 * checks this table against the connectors' registry. Workflow-safe.
 */

/** Flags of a connector that change how the workflow prepares its node. */
export interface ConnectorTraits {
  /** The activity also receives the node's expression context (`{ input, nodes }`). */
  readsContext?: boolean;
  /** Config fields passed through verbatim instead of rendered as `{{ }}` templates (source code). */
  unrenderedFields?: readonly string[];
}

/** Traits of the built-in connectors that have any; a connector absent from the table has none. */
export const CONNECTOR_TRAITS: Readonly<Record<string, ConnectorTraits>> = {
  // JavaScript source may contain `{{`; it reads `input` and `nodes` itself.
  code: { readsContext: true, unrenderedFields: ['source'] },
};

/** The traits of connector `type`; `{}` for one that declares none (or an unknown type). */
export function connectorTraitsOf(type: string): ConnectorTraits {
  return Object.hasOwn(CONNECTOR_TRAITS, type) ? CONNECTOR_TRAITS[type] : {};
}
