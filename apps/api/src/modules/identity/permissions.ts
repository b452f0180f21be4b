/**
 * A member's role in a workspace. The roles form a ladder, {@link ROLES}: each may do everything the roles
 * below it may, plus what {@link ROLE_GRANTS} lists for it. Same values as the database's `WorkspaceRole`.
 */
export type Role = 'VIEWER' | 'OPERATOR' | 'EDITOR' | 'ADMIN' | 'OWNER';

/** The roles from least to most privileged. */
export const ROLES: readonly Role[] = ['VIEWER', 'OPERATOR', 'EDITOR', 'ADMIN', 'OWNER'];

/**
 * What each role may do beyond the roles below it. A permission is `<resource>:<action>`; agents include
 * their versions, runs include their events.
 */
export const ROLE_GRANTS = {
  /** Read agents and their versions, runs and their events, schedules, approvals, the workspace and its members. */
  VIEWER: ['agents:read', 'runs:read', 'schedules:read', 'approvals:read', 'members:read'],
  /** Start, cancel and retry runs; decide approvals; trigger a schedule now. */
  OPERATOR: ['runs:start', 'runs:cancel', 'runs:retry', 'approvals:decide', 'schedules:trigger'],
  /** Create agents, publish versions and set the live one; create, change and delete schedules; rotate webhook secrets; list the vault's secrets (never their values). */
  EDITOR: ['agents:write', 'schedules:write', 'webhooks:rotate', 'secrets:read'],
  /** Invite, remove and change the role of members below OWNER; create and revoke API keys; read the audit log; set and delete secrets; decode Temporal payloads (the codec endpoint). */
  ADMIN: ['members:manage', 'apiKeys:manage', 'audit:read', 'secrets:manage', 'payloads:decode'],
  /** Rename or delete the workspace; make members owners and demote owners. */
  OWNER: ['workspace:manage', 'owners:manage'],
} as const satisfies Record<Role, readonly string[]>;

/** Something a role may be allowed to do in a workspace; the union of {@link ROLE_GRANTS}. */
export type Permission = (typeof ROLE_GRANTS)[Role][number];

const RANK = new Map<string, number>(ROLES.map((role, rank) => [role, rank]));

const MINIMUM_ROLE = new Map<string, Role>(
  ROLES.flatMap((role) => ROLE_GRANTS[role].map((permission): [string, Role] => [permission, role])),
);

/** Every permission, those of lower roles first. */
export const PERMISSIONS: readonly Permission[] = ROLES.flatMap((role) => ROLE_GRANTS[role]);

/**
 * The least privileged role that has `permission`.
 *
 * @throws TypeError for a string that is not a {@link Permission} (only possible past the type checker).
 */
export function minimumRole(permission: Permission): Role {
  const role = MINIMUM_ROLE.get(permission);
  if (role === undefined) throw new TypeError(`Unknown permission: ${String(permission)}`);
  return role;
}

/**
 * Whether `role` has `permission`, its own or inherited from a lower role. False for an unknown role or
 * permission (deny by default); never throws.
 */
export function roleAllows(role: Role, permission: Permission): boolean {
  const required = MINIMUM_ROLE.get(permission);
  return required !== undefined && roleAtLeast(role, required);
}

/**
 * Whether `role` is `other` or above it on the ladder, e.g. to check that an admin only assigns roles up to
 * their own. False when either is not a {@link Role}; never throws.
 */
export function roleAtLeast(role: Role, other: Role): boolean {
  const rank = RANK.get(role);
  const otherRank = RANK.get(other);
  return rank !== undefined && otherRank !== undefined && rank >= otherRank;
}

/** Whether `value` is one of the {@link ROLES}, e.g. for a role read from a request or a database row. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && RANK.has(value);
}
