import { describe, expect, it } from 'vitest';
import {
  isRole,
  minimumRole,
  PERMISSIONS,
  type Permission,
  type Role,
  roleAllows,
  roleAtLeast,
  ROLES,
} from '../dist/modules/identity/permissions.js';

/** The role ladder and what each level adds, written out here independently of the module. */
const LADDER: [Role, string[]][] = [
  ['VIEWER', ['agents:read', 'runs:read', 'schedules:read', 'approvals:read', 'members:read']],
  ['OPERATOR', ['runs:start', 'runs:cancel', 'runs:retry', 'approvals:decide', 'schedules:trigger']],
  ['EDITOR', ['agents:write', 'schedules:write', 'webhooks:rotate', 'secrets:read']],
  ['ADMIN', ['members:manage', 'apiKeys:manage', 'audit:read', 'secrets:manage', 'payloads:decode']],
  ['OWNER', ['workspace:manage', 'owners:manage']],
];
const ALL = LADDER.flatMap(([, permissions]) => permissions) as Permission[];
const LEVEL = new Map(ALL.map((permission) => [permission, LADDER.findIndex(([, granted]) => granted.includes(permission))]));

describe('roles and permissions', () => {
  it('orders the roles VIEWER < OPERATOR < EDITOR < ADMIN < OWNER', () => {
    expect(ROLES).toEqual(LADDER.map(([role]) => role));
  });

  it('has exactly the permissions of the table', () => {
    expect([...PERMISSIONS].sort()).toEqual([...ALL].sort());
    expect(new Set(PERMISSIONS).size).toBe(PERMISSIONS.length);
  });

  it.each(ALL.map((permission) => [permission, LADDER[LEVEL.get(permission)!][0]]))('%s needs at least %s', (permission, role) => {
    expect(minimumRole(permission)).toBe(role);
  });

  it.each(LADDER.map(([role], level) => [role, level]))('%s has exactly the permissions of its level and below', (role, level) => {
    const expected = LADDER.slice(0, level + 1).flatMap(([, permissions]) => permissions).sort();
    expect(ALL.filter((permission) => roleAllows(role, permission)).sort()).toEqual(expected);
  });

  it('roleAtLeast follows the ladder', () => {
    LADDER.forEach(([role], rank) => {
      LADDER.forEach(([other], otherRank) => expect(roleAtLeast(role, other), `${role} >= ${other}`).toBe(rank >= otherRank));
    });
  });

  it('denies, and never throws, for values outside the types', () => {
    expect(roleAllows('GUEST' as Role, 'runs:read')).toBe(false);
    expect(roleAllows('OWNER', 'runs:delete' as Permission)).toBe(false);
    expect(roleAtLeast('OWNER', 'GUEST' as Role)).toBe(false);
    expect(roleAtLeast('GUEST' as Role, 'VIEWER')).toBe(false);
    expect(() => minimumRole('runs:delete' as Permission)).toThrow(TypeError);
    expect(ROLES.every(isRole)).toBe(true);
    expect([isRole('owner'), isRole('GUEST'), isRole(undefined), isRole(4)]).toEqual([false, false, false, false]);
  });
});
