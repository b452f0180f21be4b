/** The shape every connector implements, in the style of a trigger.dev `schemaTask`. */
import type { z, ZodType } from 'zod';
import type { OutboundSession } from './egress/outbound.js';

/** What a connector may use from the running node, besides its config. */
export interface ConnectorContext {
  runId: string;
  nodeId: string;
  /** Temporal attempt number, starting at 1. */
  attempt: number;
  /** Aborted when Temporal cancels the activity; pass it to every I/O call. */
  signal: AbortSignal;
  /** The worker's environment (API keys, base URLs). Read secrets from here, never from the node's config. */
  env: Record<string, string | undefined>;
  /**
   * The only way out of the worker: pass it to `request`, or run an SDK call inside `outbound.run`. It holds
   * the node's resolved secrets, which may only go to their allowed hosts.
   */
  outbound: OutboundSession;
  /**
   * A key for this node's request that is the same on every attempt (`trellis-<run id>-<node id>`, with
   * `-compensate` or `-escalate` for those requests), for receivers that drop duplicates by `Idempotency-Key`.
   */
  idempotencyKey: string;
  /** Records progress with Temporal; call it during long work when the node has a heartbeat timeout. */
  heartbeat(details?: unknown): void;
  /**
   * What the node's expressions see (`{ input, nodes }`, `nodes` keyed by node id with `{ output, status, error? }`).
   * Present only for connectors that set `readsContext`; see `ExecuteNodeRequest.context`.
   */
  data?: { input: unknown; nodes: Record<string, unknown> };
}

/**
 * A side-effecting node type.
 *
 * @typeParam C - the parsed config, as produced by `configSchema`.
 */
export interface Connector<C> {
  /** Node `type` in the DAG, such as `http`. Unique in a registry. */
  type: string;
  /** One sentence for people and tools listing the available node types. */
  description: string;
  /** Validates (and defaults) the node's rendered config before `execute` runs. */
  configSchema: ZodType<C>;
  /**
   * The workflow also sends the node's expression context (`ConnectorContext.data`). Mirrored in the
   * workflow-safe `CONNECTOR_TRAITS` of `@trellis/dag-interpreter`, which the workflow reads.
   */
  readsContext?: boolean;
  /** Config fields passed verbatim instead of rendered as `{{ }}` templates (source code). Mirrored likewise. */
  unrenderedFields?: readonly string[];
  /**
   * Runs the side effect. Returns a JSON-serializable output (it is stored in Temporal and Postgres).
   * @throws ConnectorError for every classified failure.
   */
  execute(config: C, context: ConnectorContext): Promise<unknown>;
}

/** Declares a connector and infers its config type from the schema. Returns its argument unchanged. */
export function defineConnector<S extends ZodType>(connector: {
  type: string;
  description: string;
  configSchema: S;
  readsContext?: boolean;
  unrenderedFields?: readonly string[];
  execute(config: z.output<S>, context: ConnectorContext): Promise<unknown>;
}): Connector<z.output<S>> {
  return connector as Connector<z.output<S>>;
}
