import { Inject, Injectable } from '@nestjs/common';
import { PRISMA, type TrellisPrismaClient } from '../../../../infrastructure/prisma/prisma-client.js';
import type { Principal } from '../../access/principal.js';
import { isRole } from '../../permissions.js';
import type { MeType } from '../dtos/me.type.js';
import type { WorkspaceMembershipType } from '../dtos/workspace-membership.type.js';

/** Builds {@link MeType}: who the caller is and where it may act. */
@Injectable()
export class MeService {
  constructor(@Inject(PRISMA) private readonly prisma: TrellisPrismaClient) {}

  /** The caller as `principal` says: a user with all their workspaces, or an API key with its own. */
  async of(principal: Principal): Promise<MeType> {
    if (principal.kind === 'USER') return this.ofUser(principal.userId);
    const workspace = await this.prisma.workspace.findUniqueOrThrow({
      where: { id: principal.workspaceId },
      select: { id: true, name: true, createdAt: true },
    });
    return { principalKind: 'API_KEY', user: null, workspaces: [{ workspace, role: principal.role }] };
  }

  /**
   * A signed-in user and their memberships, oldest first.
   *
   * @throws Prisma's `NotFoundError` when the user does not exist (a session's user always does: deleting
   *   a user deletes their sessions).
   */
  async ofUser(userId: string): Promise<MeType> {
    const user = await this.prisma.user.findUniqueOrThrow({
      where: { id: userId },
      select: {
        id: true,
        email: true,
        createdAt: true,
        memberships: {
          select: { role: true, workspace: { select: { id: true, name: true, createdAt: true } } },
          orderBy: [{ createdAt: 'asc' }, { workspaceId: 'asc' }],
        },
      },
    });
    const workspaces: WorkspaceMembershipType[] = user.memberships.flatMap(({ workspace, role }) =>
      isRole(role) ? [{ workspace, role }] : [],
    );
    return { principalKind: 'USER', user: { id: user.id, email: user.email, createdAt: user.createdAt }, workspaces };
  }
}
