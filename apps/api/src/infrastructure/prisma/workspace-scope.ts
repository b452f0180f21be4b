import { AsyncLocalStorage } from 'node:async_hooks';
import { currentRequestContext } from '../../modules/identity/access/request-context.js';

/**
 * Which workspace's rows the API's Prisma client may see and write right now:
 * - `{ workspaceId }`: only that workspace's (the request's principal's, or one named by {@link withWorkspaceScope});
 * - `{ system }`: all of them, for background passes and the few public handlers that must first find the
 *   workspace a credential belongs to (a webhook's agent, a decision link's approval); `system` says why.
 */
export type WorkspaceScope = { readonly workspaceId: string } | { readonly system: string };

/** Thrown when tenant data is touched inside a request that has no workspace (a public or unresolved one). */
export class WorkspaceScopeMissingError extends Error {
  constructor(target: string) {
    super(`${target} touched outside a workspace scope: the request has no workspace, and no system scope was opened`);
    this.name = 'WorkspaceScopeMissingError';
  }
}

const overrides = new AsyncLocalStorage<WorkspaceScope>();

/**
 * Runs `work` (and everything it awaits) seeing and writing only `workspaceId`'s rows. `work`'s result is
 * awaited inside the scope: Prisma queries are lazy and run when awaited, so a query returned unawaited
 * would otherwise run outside it.
 */
export function withWorkspaceScope<T>(workspaceId: string, work: () => T | PromiseLike<T>): Promise<T> {
  return overrides.run({ workspaceId }, async () => await work());
}

/**
 * Runs `work` seeing every workspace's rows. Only for reads that find which workspace a credential belongs
 * to, and for bookkeeping that spans workspaces; `reason` names it in logs and errors. Awaited inside the
 * scope, as {@link withWorkspaceScope}.
 */
export function withSystemScope<T>(reason: string, work: () => T | PromiseLike<T>): Promise<T> {
  return overrides.run({ system: reason }, async () => await work());
}

/**
 * The scope in force: an explicit {@link withWorkspaceScope}/{@link withSystemScope}, else the request's
 * principal's workspace, else the system scope outside any request (startup, periodic passes, listeners);
 * `undefined` inside a request without a workspace, where tenant data must not be touched.
 */
export function currentWorkspaceScope(): WorkspaceScope | undefined {
  const override = overrides.getStore();
  if (override !== undefined) return override;
  const request = currentRequestContext();
  if (request === undefined) return { system: 'outside a request' };
  const workspaceId = request.principal?.workspaceId;
  return workspaceId ? { workspaceId } : undefined;
}

/**
 * The workspace raw SQL must filter on by hand (the Prisma extension does not see `$queryRaw`).
 *
 * @returns the scope's workspace id, or null under the system scope
 * @throws WorkspaceScopeMissingError inside a request without a workspace
 */
export function scopedWorkspaceId(target: string): string | null {
  const scope = currentWorkspaceScope();
  if (scope === undefined) throw new WorkspaceScopeMissingError(target);
  return 'workspaceId' in scope ? scope.workspaceId : null;
}
