import { Inject, Injectable } from '@nestjs/common';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { assertUuid } from '../../../common/validation/argument-guards.js';
import { PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { AuditLog } from '../../audit/services/audit-log.service.js';
import { assertWithinRole, type Caller, currentCaller } from '../../identity/access/current-caller.js';
import type { Role } from '../../identity/permissions.js';
import type { MemberType } from '../dtos/member.type.js';
import { assertKeepsAnOwner, lockWorkspace, type Transaction } from './workspace-owners.js';

const MEMBER_COLUMNS = { role: true, createdAt: true, user: { select: { id: true, email: true, createdAt: true } } } as const;

function toMember(row: { role: Role; createdAt: Date; user: { id: string; email: string; createdAt: Date } }): MemberType {
  return { role: row.role, joinedAt: row.createdAt, user: { id: row.user.id, email: row.user.email, createdAt: row.user.createdAt } };
}

/**
 * A workspace's members. Memberships are not workspace-scoped by the Prisma client (a user's span
 * workspaces), so every query here names the caller's workspace itself. Changes to an OWNER, or making one,
 * need an OWNER (the role ceiling), and a workspace always keeps at least one OWNER member.
 */
@Injectable()
export class MembersService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    private readonly audit: AuditLog,
  ) {}

  /** The members of `workspaceId`, earliest first. */
  async list(workspaceId: string): Promise<MemberType[]> {
    const rows = await this.prisma.membership.findMany({
      where: { workspaceId },
      select: MEMBER_COLUMNS,
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
    });
    return rows.map(toMember);
  }

  /**
   * Gives a member of the caller's workspace another role.
   *
   * @throws TrellisException `BAD_USER_INPUT` (path `userId`); `NOT_FOUND` for a user who is not a member;
   *   `FORBIDDEN` when the member's current or new role is above the caller's; `CONFLICT` when it would leave
   *   no OWNER
   */
  async setRole(userId: string, role: Role): Promise<MemberType> {
    assertUuid(userId, 'userId');
    const caller = currentCaller();
    return this.prisma.$transaction(async (tx) => {
      const existing = await lockedMember(tx, caller, userId, 'change the role of');
      assertWithinRole(caller, role, 'make', 'members');
      const updated = await tx.membership.update({
        where: { workspaceId_userId: { workspaceId: caller.workspaceId, userId } },
        data: { role },
        select: MEMBER_COLUMNS,
      });
      if (existing.role === 'OWNER') await assertKeepsAnOwner(tx, caller.workspaceId);
      await this.audit.record({ action: 'member.set_role', targetType: 'user', targetId: userId, metadata: { from: existing.role, to: role } }, tx);
      return toMember(updated);
    });
  }

  /**
   * Removes a member from the caller's workspace (the user keeps their account and other workspaces).
   *
   * @returns the removed user's id
   * @throws TrellisException as {@link setRole}
   */
  async remove(userId: string): Promise<string> {
    assertUuid(userId, 'userId');
    const caller = currentCaller();
    return this.prisma.$transaction(async (tx) => {
      const existing = await lockedMember(tx, caller, userId, 'remove');
      await tx.membership.delete({ where: { workspaceId_userId: { workspaceId: caller.workspaceId, userId } } });
      if (existing.role === 'OWNER') await assertKeepsAnOwner(tx, caller.workspaceId);
      await this.audit.record({ action: 'member.remove', targetType: 'user', targetId: userId, metadata: { role: existing.role } }, tx);
      return userId;
    });
  }
}

/**
 * The member `userId` of the caller's workspace, read with the workspace locked, when the caller's role
 * reaches theirs (for `action`).
 *
 * @throws TrellisException `NOT_FOUND` for a user who is not a member; `FORBIDDEN` for a member above the caller
 */
async function lockedMember(tx: Transaction, caller: Caller, userId: string, action: string): Promise<{ role: Role }> {
  await lockWorkspace(tx, caller.workspaceId);
  const existing = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId: caller.workspaceId, userId } } });
  if (!existing) throw TrellisException.notFound('Member', userId);
  assertWithinRole(caller, existing.role, action, 'members');
  return existing;
}
