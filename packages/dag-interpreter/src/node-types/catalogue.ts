/**
 * The node-type catalogue: every node type a deployment can run (the workflow's own and its connectors),
 * with the facts validators, editors, the dashboard and DAG-drafting LLMs need. The one place the list of
 * node types is assembled.
 */
import { z, type ZodType } from 'zod';
import type { NodeTypeDefinition } from './node-type.js';
import { workflowNodeTypes } from './workflow-node-types.js';

/** What the catalogue needs of a connector; `defineConnector`'s result satisfies it. */
export interface ConnectorNodeType {
  type: string;
  description: string;
  configSchema: ZodType;
  /** The `executeNode` activity also receives the node's expression context (`{ input, nodes }`). */
  readsContext?: boolean;
  /** Config fields passed through verbatim instead of rendered as templates. */
  unrenderedFields?: readonly string[];
}

/** One node type as the catalogue describes it. */
export interface NodeTypeEntry {
  type: string;
  /** `workflow`: interpreted by the workflow itself; `connector`: executed by the `executeNode` activity. */
  kind: 'workflow' | 'connector';
  description: string;
  configSchema: ZodType;
  /** The config schema as JSON Schema (draft 2020-12), the shape a config takes before defaults apply. */
  configJsonSchema: Record<string, unknown>;
  unrenderedFields: readonly string[];
  /** A connector whose activity also receives the node's expression context; always false for workflow types. */
  readsContext: boolean;
  /** Why the type cannot run in a `forEach` body, or `null`. */
  notInLoopBody: string | null;
  /** Only connectors can undo a node's effect as its `compensate` action. */
  canCompensate: boolean;
  /** The type's own static checks (workflow types only). */
  check?: NodeTypeDefinition['check'];
}

/** An immutable catalogue of node types, in a stable order: workflow types first, then connectors by name. */
export class NodeTypeCatalogue {
  readonly #byType = new Map<string, NodeTypeEntry>();

  /** @throws Error when two entries share a type. */
  constructor(entries: readonly NodeTypeEntry[]) {
    for (const entry of entries) {
      if (this.#byType.has(entry.type)) throw new Error(`Duplicate node type "${entry.type}"`);
      this.#byType.set(entry.type, entry);
    }
  }

  /** Every entry, workflow types first. */
  entries(): NodeTypeEntry[] {
    return [...this.#byType.values()];
  }

  /** The entry of `type`, or `undefined` when no such node type exists. */
  get(type: string): NodeTypeEntry | undefined {
    return this.#byType.get(type);
  }

  /** Known type names, sorted. */
  types(): string[] {
    return [...this.#byType.keys()].sort();
  }
}

/**
 * Builds the catalogue of the workflow node types plus `connectors`.
 * @throws Error when a connector reuses a workflow node type's name, or two connectors share one.
 */
export function createNodeTypeCatalogue(connectors: readonly ConnectorNodeType[]): NodeTypeCatalogue {
  const workflowEntries = Object.values(workflowNodeTypes).map((definition): NodeTypeEntry => {
    const { type, description, configSchema, unrenderedFields, notInLoopBody, check } = definition as NodeTypeDefinition;
    return { type, kind: 'workflow', description, configSchema, configJsonSchema: toJsonSchema(configSchema), unrenderedFields, readsContext: false, notInLoopBody, canCompensate: false, ...(check ? { check } : {}) };
  });
  const connectorEntries = [...connectors]
    .sort((a, b) => a.type.localeCompare(b.type))
    .map((connector): NodeTypeEntry => ({
      type: connector.type,
      kind: 'connector',
      description: connector.description,
      configSchema: connector.configSchema,
      configJsonSchema: toJsonSchema(connector.configSchema),
      unrenderedFields: connector.unrenderedFields ?? [],
      readsContext: connector.readsContext ?? false,
      notInLoopBody: null,
      canCompensate: true,
    }));
  return new NodeTypeCatalogue([...workflowEntries, ...connectorEntries]);
}

/**
 * A zod schema as JSON Schema describing accepted input (defaults make fields optional). Refinements that
 * JSON Schema cannot say (custom checks) are left out, so the result accepts a little more than zod does.
 */
function toJsonSchema(schema: ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
