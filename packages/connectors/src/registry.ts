/** Connectors by node type. Looking up an unknown type fails loudly. */
import { createNodeTypeCatalogue, type NodeTypeCatalogue } from '@trellis/dag-interpreter';
import type { Connector } from './connector.js';
import { codeConnector } from './code/code-connector.js';
import { ConnectorError, ConnectorErrorType } from './errors.js';
import { httpConnector } from './http.js';
import { llmConnector } from './llm/llm-connector.js';

/** The connectors shipped with Trellis: `http`, `llm` and `code`. */
export const builtInConnectors: Connector<any>[] = [httpConnector, llmConnector, codeConnector];

/** An immutable set of connectors keyed by `type`. */
export class ConnectorRegistry {
  readonly #byType = new Map<string, Connector<any>>();

  /** @throws Error when two connectors share a `type`. */
  constructor(connectors: readonly Connector<any>[]) {
    for (const connector of connectors) {
      if (this.#byType.has(connector.type)) throw new Error(`Duplicate connector type "${connector.type}"`);
      this.#byType.set(connector.type, connector);
    }
  }

  /**
   * The connector for `type`.
   * @throws ConnectorError `UnknownConnectorError` (not retryable), listing the known types.
   */
  get(type: string): Connector<any> {
    const connector = this.#byType.get(type);
    if (connector === undefined) {
      const known = this.types();
      throw new ConnectorError({
        type: ConnectorErrorType.UnknownConnector,
        message: `Unknown connector type "${type}"; known types: ${known.join(', ') || '(none)'}`,
        retryable: false,
        data: { type, knownTypes: known },
      });
    }
    return connector;
  }

  /** Whether a connector is registered for `type`. */
  has(type: string): boolean {
    return this.#byType.has(type);
  }

  /** Registered types, sorted. */
  types(): string[] {
    return [...this.#byType.keys()].sort();
  }

  /** The registered connectors, sorted by type. */
  connectors(): Connector<any>[] {
    return this.types().map((type) => this.#byType.get(type)!);
  }

  /**
   * The node-type catalogue of a deployment running these connectors: the workflow's node types plus them.
   * @throws Error when a connector reuses a workflow node type's name.
   */
  catalogue(): NodeTypeCatalogue {
    return createNodeTypeCatalogue(this.connectors());
  }
}

/** A registry of `connectors`, the built-ins by default. @throws Error on duplicate types. */
export function createConnectorRegistry(connectors: readonly Connector<any>[] = builtInConnectors): ConnectorRegistry {
  return new ConnectorRegistry(connectors);
}

/**
 * The node-type catalogue of the built-in connectors plus the workflow's own node types: what the API
 * validates DAGs against and what editors and tools list.
 */
export function nodeTypeCatalogue(registry: ConnectorRegistry = createConnectorRegistry()): NodeTypeCatalogue {
  return registry.catalogue();
}
