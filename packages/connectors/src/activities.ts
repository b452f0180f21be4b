/**
 * The worker's connector activities: `executeNode` runs one side-effecting DAG node through its connector;
 * `agentTurn` and `invokeTool` serve the `agent` node (see `agent/`).
 */
import type { ExecuteNodeRequest, ExecuteNodeResult } from '@trellis/dag-interpreter';
import { createAgentActivities, type AgentActivities } from './agent/agent-activities.js';
import { parseConnectorConfig } from './config-validation.js';
import { readEgressPolicy } from './egress/egress-policy.js';
import { createOutbound, type Outbound } from './egress/outbound.js';
import type { ConnectorRegistry } from './registry.js';
import { runInActivity, type ActivityRuntime } from './run-in-activity.js';
import type { SecretSource } from './secrets/secret-source.js';

export interface ConnectorActivitiesDeps {
  registry: ConnectorRegistry;
  /** Environment given to connectors (API keys, base URLs). Default: `process.env`. */
  env?: Record<string, string | undefined>;
  /** The outbound path. Default: one under the egress policy of `env` (`TRELLIS_EGRESS_*`, see `readEgressPolicy`). */
  outbound?: Outbound;
  /** The vault; without it, nodes referencing secrets fail with `ConfigError`. */
  secrets?: SecretSource;
  /** The environment of a workspace's runs; default `env` for every run. See `ActivityRuntime.envFor`. */
  envFor?: ActivityRuntime['envFor'];
}

export interface ConnectorActivities extends AgentActivities {
  /**
   * Resolves the node's secret references, validates `request.config` with the connector's schema, runs the
   * connector and returns `{ output, attempt }`, redacted of the secrets. Must run inside a Temporal activity.
   *
   * @throws ApplicationFailure for every failure: `type` is the ConnectorError type (`ConfigError`,
   *   `HttpStatusError`, `EgressBlocked`, `SecretNotFound`, `UnknownConnectorError`...; `Error` for unclassified
   *   ones), `nonRetryable` mirrors it, details are `[{ attempt, data }]`. A cancellation is rethrown as is.
   */
  executeNode(request: ExecuteNodeRequest): Promise<ExecuteNodeResult>;
}

/**
 * Builds the activities backed by `deps.registry`. Register the result on the worker.
 * @throws EgressConfigError when `deps.outbound` is absent and `env` holds a malformed `TRELLIS_EGRESS_*` setting
 */
export function createConnectorActivities(deps: ConnectorActivitiesDeps): ConnectorActivities {
  const env = deps.env ?? process.env;
  const runtime: ActivityRuntime = {
    outbound: deps.outbound ?? createOutbound(readEgressPolicy(env), { maxResponseBytes: maxResponseBytesOf(env) }),
    secrets: deps.secrets,
    envFor: deps.envFor ?? (async () => env),
  };
  return {
    executeNode: (request) =>
      runInActivity(request, runtime, { type: request.type, value: request.config }, async (context, config) => {
        const connector = deps.registry.get(request.type);
        const parsed: unknown = parseConnectorConfig(connector.configSchema, config, connector.type);
        const output = await connector.execute(parsed, { ...context, data: request.context });
        return { output, attempt: context.attempt };
      }),
    ...createAgentActivities(runtime),
  };
}

/** `TRELLIS_EGRESS_MAX_RESPONSE_BYTES`, when set. */
function maxResponseBytesOf(env: Record<string, string | undefined>): number | undefined {
  const raw = env.TRELLIS_EGRESS_MAX_RESPONSE_BYTES?.trim();
  return raw ? Number(raw) : undefined;
}
