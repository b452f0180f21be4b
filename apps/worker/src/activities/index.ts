import { createConnectorActivities, createConnectorRegistry, type ConnectorRegistry } from '@trellis/connectors';
import type { DagActivities } from '@trellis/dag-interpreter';
import type { PrismaClient } from '@trellis/db';
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
 * `invokeTool` from the connectors; `syncRun`, `expireApproval` and `prepareSubflow` over Postgres.
 */
export function createActivities(deps: ActivityDependencies): DagActivities {
  return {
    ...createConnectorActivities({ registry: deps.registry ?? createConnectorRegistry(), env: deps.env ?? process.env }),
    ...createRunStoreActivities({ prisma: deps.prisma }),
    ...createSubflowActivities({ prisma: deps.prisma }),
  };
}
