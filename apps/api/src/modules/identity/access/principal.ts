import type { Role } from '../permissions.js';

/**
 * Who a request acts as, once its credentials are checked.
 * - `USER`: a browser session. `workspaceId`/`role` are those of the `Trellis-Workspace` header's workspace
 *   or of the user's only one; null when the user belongs to none, or to several and sent no header.
 * - `API_KEY`: a workspace's service account, acting with the key's role.
 */
export type Principal =
  | { kind: 'USER'; userId: string; email: string; sessionId: string; workspaceId: string | null; role: Role | null }
  | { kind: 'API_KEY'; apiKeyId: string; name: string; workspaceId: string; role: Role };

/** The id the audit log records as the actor: the user's or the key's. */
export function actorIdOf(principal: Principal): string {
  return principal.kind === 'USER' ? principal.userId : principal.apiKeyId;
}

/** How a principal is named where people read it (who published a version, who decided an approval): the user's email or `API key <name>`. */
export function principalLabel(principal: Principal): string {
  return principal.kind === 'USER' ? principal.email : `API key ${principal.name}`;
}
