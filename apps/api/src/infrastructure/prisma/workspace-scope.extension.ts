import type { PrismaClient } from '@trellis/db';
import { currentWorkspaceScope, WorkspaceScopeMissingError } from './workspace-scope.js';

/**
 * Models with a `workspaceId` whose every query the extension scopes. Nested reads and writes below them
 * (an agent's `versions`, a run's `nodes`) are not rewritten: Postgres' triggers keep a child in its
 * parent's workspace, so they cannot reach another workspace either.
 */
export const WORKSPACE_SCOPED_MODELS: ReadonlySet<string> = new Set([
  'Agent',
  'AgentVersion',
  'Schedule',
  'Run',
  'RunEvent',
  'NodeRun',
  'Approval',
  'ApiKey',
  'Invitation',
  'AuditEvent',
  'WorkspaceVaultKey',
  'Secret',
]);

/** Models that have a `workspaceId` but are deliberately not scoped, and why. */
export const WORKSPACE_UNSCOPED_MODELS: Readonly<Record<string, string>> = {
  Membership: "a user's memberships span workspaces: `me` lists them by user, member management names the workspace",
};

/** Operations whose `where` gains the workspace filter. */
const FILTERED = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
]);
/** Operations whose `data` gains the workspace id. */
const CREATING = new Set(['create', 'createMany', 'createManyAndReturn']);

type Args = Record<string, unknown> & { where?: Record<string, unknown>; data?: unknown; create?: unknown };

/**
 * Extends the API's Prisma client so that, for every model in {@link WORKSPACE_SCOPED_MODELS}, reads,
 * updates and deletes only match rows of the current workspace scope (see `currentWorkspaceScope`) and
 * creates are stamped with it. A row of another workspace is then simply not found, the same answer as
 * for an id that does not exist. Under the system scope nothing is rewritten.
 *
 * @throws WorkspaceScopeMissingError when a scoped model is queried inside a request that has no workspace;
 *   Error for an operation this extension does not know (so a new Prisma operation cannot bypass it), or a
 *   create naming another workspace
 * @returns the extended client, typed as the plain client: a query extension changes no model method's shape
 *   (only `$on`, which Trellis does not use, is gone from extended clients)
 */
export function scopeToWorkspace(client: PrismaClient): PrismaClient {
  const extended = client.$extends({
    name: 'trellis-workspace-scope',
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          if (!WORKSPACE_SCOPED_MODELS.has(model)) return query(args);
          const scope = currentWorkspaceScope();
          if (scope === undefined) throw new WorkspaceScopeMissingError(`${model}.${operation}`);
          if (!('workspaceId' in scope)) return query(args);
          return query(scopedArgs(model, operation, (args ?? {}) as Args, scope.workspaceId) as typeof args);
        },
      },
    },
  });
  return extended as unknown as PrismaClient;
}

function scopedArgs(model: string, operation: string, args: Args, workspaceId: string): Args {
  if (FILTERED.has(operation)) return { ...args, where: { ...args.where, workspaceId } };
  if (CREATING.has(operation)) {
    const data = Array.isArray(args.data)
      ? args.data.map((row) => stamped(model, row, workspaceId))
      : stamped(model, args.data, workspaceId);
    return { ...args, data };
  }
  if (operation === 'upsert') {
    return { ...args, where: { ...args.where, workspaceId }, create: stamped(model, args.create, workspaceId) };
  }
  throw new Error(`${model}.${operation} is not supported by the workspace scope`);
}

function stamped(model: string, row: unknown, workspaceId: string): Record<string, unknown> {
  const data = (row ?? {}) as Record<string, unknown>;
  if (data.workspaceId !== undefined && data.workspaceId !== workspaceId) {
    throw new Error(`${model} created in workspace ${String(data.workspaceId)} from workspace ${workspaceId}'s scope`);
  }
  return { ...data, workspaceId };
}
