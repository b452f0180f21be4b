/**
 * The worker's connector activities: `executeNode` runs one side-effecting DAG node through its connector;
 * `agentTurn` and `invokeTool` serve the `agent` node (see `agent/`).
 */
import { Context } from '@temporalio/activity';
import type { ExecuteNodeRequest, ExecuteNodeResult } from '@trellis/dag-interpreter';
import { createAgentActivities, type AgentActivities } from './agent/agent-activities.js';
import { parseConnectorConfig } from './config-validation.js';
import type { ConnectorContext } from './connector.js';
import { toApplicationFailure } from './failure.js';
import type { ConnectorRegistry } from './registry.js';

export interface ConnectorActivitiesDeps {
  registry: ConnectorRegistry;
  /** Environment given to connectors (API keys, base URLs). Default: `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface ConnectorActivities extends AgentActivities {
  /**
   * Validates `request.config` with the connector's schema, runs the connector and returns
   * `{ output, attempt }`. Must run inside a Temporal activity (it reads `Context.current()`).
   *
   * @throws ApplicationFailure for every failure: `type` is the ConnectorError type (`ConfigError`,
   *   `HttpStatusError`, `UnknownConnectorError`...; `Error` for unclassified ones), `nonRetryable` mirrors it,
   *   details are `[{ attempt, data }]`. When the activity is cancelled, the cancellation is rethrown as is.
   */
  executeNode(request: ExecuteNodeRequest): Promise<ExecuteNodeResult>;
}

/** Builds the activities backed by `deps.registry` (and `env` for the agent's providers). Register the result on the worker. */
export function createConnectorActivities(deps: ConnectorActivitiesDeps): ConnectorActivities {
  const env = deps.env ?? process.env;
  return {
    async executeNode(request: ExecuteNodeRequest): Promise<ExecuteNodeResult> {
      const activity = Context.current();
      const { attempt } = activity.info;
      try {
        const connector = deps.registry.get(request.type);
        const config: unknown = parseConnectorConfig(connector.configSchema, request.config, connector.type);
        const context: ConnectorContext = {
          runId: request.runId,
          nodeId: request.nodeId,
          attempt,
          signal: activity.cancellationSignal,
          env,
          heartbeat: (details?: unknown) => activity.heartbeat(details),
          data: request.context,
        };
        return { output: await connector.execute(config, context), attempt };
      } catch (error) {
        // Temporal reports a cancelled activity only when it ends with the cancellation error itself.
        if (activity.cancellationSignal.aborted) throw activity.cancellationSignal.reason;
        throw toApplicationFailure(error, attempt);
      }
    },
    ...createAgentActivities(env),
  };
}
