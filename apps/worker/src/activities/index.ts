import { createConnectorActivities, createConnectorRegistry, type ConnectorRegistry, type Outbound } from '@trellis/connectors';
import { createSetActivities, type DagActivities } from '@trellis/dag-interpreter';
import { readVaultMasterKeys, type PrismaClient } from '@trellis/db';
import { withEgressAudit } from './egress-audit.js';
import { providerEnvByWorkspace } from './provider-env.js';
import { withRetryEvents } from './retry-events.js';
import { createRunStoreActivities } from './run-store.js';
import { createSecretVault } from './secret-vault.js';
import { createSubflowActivities } from './subflow.js';

/** What the activities need from the outside world. */
export interface ActivityDependencies {
  prisma: PrismaClient;
  /** Defaults to the built-in connectors (http, llm, code). */
  registry?: ConnectorRegistry;
  /**
   * Environment the connectors read (provider keys and base URLs, `TRELLIS_EGRESS_*`, `TRELLIS_SECRET_KEY`,
   * `TRELLIS_ENV_KEYS_WORKSPACE`). Defaults to `process.env`.
   */
  env?: Record<string, string | undefined>;
  /** The outbound path; default one under the egress policy of `env`. Tests pass one with a resolver they control. */
  outbound?: Outbound;
}

/**
 * Builds every activity the generic workflow calls, from their clients: `executeNode`, `agentTurn` and
 * `invokeTool` from the connectors (secrets from the vault in Postgres, provider keys of `env` for one workspace
 * only, refused egress audited, retries recorded as `node.retrying` run events); the `evaluateSet` local
 * activity of `set` nodes; `syncRun`, `expireApproval` and `prepareSubflow` over Postgres.
 *
 * @throws EgressConfigError / VaultConfigError for a malformed `TRELLIS_EGRESS_*` or `TRELLIS_SECRET_KEY`
 */
export function createActivities(deps: ActivityDependencies): DagActivities {
  const env = deps.env ?? process.env;
  const connectors = createConnectorActivities({
    registry: deps.registry ?? createConnectorRegistry(),
    env,
    outbound: deps.outbound,
    secrets: createSecretVault(deps.prisma, env.TRELLIS_SECRET_KEY ? readVaultMasterKeys(env) : null),
    envFor: providerEnvByWorkspace(deps.prisma, env),
  });
  const guarded = <R extends { runId: string; nodeId: string; workspaceId?: string }, T>(activity: (request: R) => Promise<T>) =>
    withRetryEvents(deps.prisma, withEgressAudit(deps.prisma, activity));
  return {
    ...connectors,
    // Attempts after the first record `node.retrying`.
    executeNode: guarded(connectors.executeNode),
    agentTurn: guarded(connectors.agentTurn),
    invokeTool: guarded(connectors.invokeTool),
    ...createSetActivities(),
    ...createRunStoreActivities({ prisma: deps.prisma }),
    ...createSubflowActivities({ prisma: deps.prisma }),
  };
}
