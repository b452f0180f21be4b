/**
 * Who may decide an approval. An approval's `assignees` name user emails (any letter case) and roles
 * (`role:EDITOR`: that role or above); with assignees, only they and ADMIN and above may decide. With
 * `allowSelfApproval: false`, whoever started the run (the same user, or the same API key) may not, even
 * an ADMIN. Signed decision links are capabilities handed out by someone allowed to decide: not checked.
 */
import { type Principal, principalLabel } from '../../identity/access/principal.js';
import { isRole, ROLES, roleAtLeast } from '../../identity/permissions.js';

/** Who decides: the request's principal, or the holder of a signed decision link (with the name they gave). */
export type Decider = { kind: 'principal'; principal: Principal } | { kind: 'link'; name: string | null };

/** The facts of an approval and its run that the rules read. */
export interface DecisionSubject {
  assignees: string[];
  allowSelfApproval: boolean;
  run: { startedByUserId: string | null; startedByApiKeyId: string | null };
}

const ROLE_PREFIX = 'role:';

/** `approval.decidedBy` for a decider: the user's email, `API key <name>`, or `decision link[ (name)]`. */
export function deciderLabel(decider: Decider): string {
  if (decider.kind === 'link') return decider.name ? `decision link (${decider.name})` : 'decision link';
  return principalLabel(decider.principal);
}

/** Why `principal` may not decide `subject`, or null when it may. */
export function refusalToDecide(principal: Principal, subject: DecisionSubject): string | null {
  const startedIt =
    principal.kind === 'USER' ? subject.run.startedByUserId === principal.userId : subject.run.startedByApiKeyId === principal.apiKeyId;
  if (!subject.allowSelfApproval && startedIt) return 'this approval does not allow whoever started the run to decide it';
  if (subject.assignees.length === 0 || (principal.role !== null && roleAtLeast(principal.role, 'ADMIN'))) return null;
  return subject.assignees.some((assignee) => matches(principal, assignee))
    ? null
    : `only its assignees (${subject.assignees.join(', ')}) or an ADMIN may decide this approval`;
}

function matches(principal: Principal, assignee: string): boolean {
  if (assignee.startsWith(ROLE_PREFIX)) {
    const role = assignee.slice(ROLE_PREFIX.length).toUpperCase();
    return principal.role !== null && isRole(role) && roleAtLeast(principal.role, role);
  }
  return principal.kind === 'USER' && principal.email.toLowerCase() === assignee.trim().toLowerCase();
}

/**
 * The assignee entries that name `principal`: for `approvals(mine: true)`, an approval is the caller's when
 * it has no assignees or lists one of these, as the worker stores them (lower-case emails, `role:<ROLE>`).
 */
export function assigneeEntriesOf(principal: Principal): string[] {
  const role = principal.role;
  const entries = role === null ? [] : ROLES.filter((lower) => roleAtLeast(role, lower)).map((lower) => `${ROLE_PREFIX}${lower}`);
  if (principal.kind === 'USER') entries.push(principal.email.toLowerCase());
  return entries;
}
