import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { type Role, roleAtLeast } from '../permissions.js';
import type { Principal } from './principal.js';
import { currentRequestContext } from './request-context.js';

/** Who acts in this request: the workspace, the role there, and the user behind a session. */
export interface Caller {
  workspaceId: string;
  role: Role;
  /** The session's user; null for an API key, which has no user to credit with what it creates. */
  userId: string | null;
}

/**
 * The principal the access guard resolved for this request.
 *
 * @throws TrellisException `UNAUTHENTICATED` outside an authenticated request (a handler wired as public)
 */
export function currentPrincipal(): Principal {
  const principal = currentRequestContext()?.principal;
  if (!principal) throw TrellisException.unauthenticated('Sign in, or send an API key as "Authorization: Bearer <key>"');
  return principal;
}

/**
 * The request's principal as a {@link Caller}. The access guard has already required a permission in a
 * workspace, so the failures below only guard against a handler wired without one.
 *
 * @throws TrellisException `UNAUTHENTICATED` outside an authenticated request; `FORBIDDEN` for a principal
 *   acting in no workspace.
 */
export function currentCaller(): Caller {
  const principal = currentPrincipal();
  if (principal.workspaceId === null || principal.role === null) {
    throw TrellisException.forbidden('This is done within a workspace');
  }
  return {
    workspaceId: principal.workspaceId,
    role: principal.role,
    userId: principal.kind === 'USER' ? principal.userId : null,
  };
}

/**
 * The role ceiling: nobody hands out or takes away more than their own role (an ADMIN cannot mint an OWNER
 * key or make an OWNER).
 *
 * @param what what is acted on, for the message (`API keys`, `members`)
 * @throws TrellisException `FORBIDDEN` when `role` is above the caller's own
 */
export function assertWithinRole(caller: Caller, role: Role, action: string, what: string): void {
  if (!roleAtLeast(caller.role, role)) {
    throw TrellisException.forbidden(`The ${caller.role} role may not ${action} ${role} ${what}`);
  }
}
