import { createConnectorActivities, createConnectorRegistry, type ConnectorRegistry } from '@trellis/connectors';
import { createSetActivities, type DagActivities } from '@trellis/dag-interpreter';
import type { PrismaClient } from '@trellis/db';
import { withRetryEvents } from './retry-events.js';
import { createRunStoreActivities } from './run-store.js';
import { createSubflowActivities } from './subflow.js';

/** What the activities need from the outside world. */
export interface ActivityDependencies {
  prisma: PrismaClient;
  /** Defaults to the built-in connectors (http, llm, code). */
  registry?: ConnectorRegistry;
  /** Environment the connectors read (API keys, base URLs). Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * Builds every activity the generic workflow calls, from their clients: `executeNode`, `agentTurn` and
 * `invokeTool` from the connectors (their retries recorded as `node.retrying` run events); the `evaluateSet`
 * local activity of `set` nodes; `syncRun`, `expireApproval` and `prepareSubflow` over Postgres.
 */
export function createActivities(deps: ActivityDependencies): DagActivities {
  const connectors = createConnectorActivities({ registry: deps.registry ?? createConnectorRegistry(), env: deps.env ?? process.env });
  return {
    ...connectors,
    // Attempts after the first record `node.retrying`.
    executeNode: withRetryEvents(deps.prisma, connectors.executeNode),
    agentTurn: withRetryEvents(deps.prisma, connectors.agentTurn),
    invokeTool: withRetryEvents(deps.prisma, connectors.invokeTool),
    ...createSetActivities(),
    ...createRunStoreActivities({ prisma: deps.prisma }),
    ...createSubflowActivities({ prisma: deps.prisma }),
  };
}
