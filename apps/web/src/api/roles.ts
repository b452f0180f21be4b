import type { Membership } from './me';

const LADDER: Membership['role'][] = ['VIEWER', 'OPERATOR', 'EDITOR', 'ADMIN', 'OWNER'];

/** Whether `role` is `least` or above: what a role may not do is not offered (the server refuses it anyway). */
export function atLeast(role: Membership['role'] | undefined, least: Membership['role']): boolean {
  return role !== undefined && LADDER.indexOf(role) >= LADDER.indexOf(least);
}
