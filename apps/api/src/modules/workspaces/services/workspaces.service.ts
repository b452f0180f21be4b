import { Inject, Injectable } from '@nestjs/common';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { AuditLog } from '../../audit/services/audit-log.service.js';
import { currentCaller } from '../../identity/access/current-caller.js';
import { currentRequestContext } from '../../identity/access/request-context.js';
import { workspaceNameIssues } from '../../identity/sessions/services/account-input.js';
import type { WorkspaceType } from '../../identity/sessions/dtos/workspace.type.js';

const COLUMNS = { id: true, name: true, createdAt: true } as const;

/** Creating, renaming and reading workspaces. */
@Injectable()
export class WorkspacesService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    private readonly audit: AuditLog,
  ) {}

  /** The workspace the request acts in. */
  async current(): Promise<WorkspaceType> {
    const { workspaceId } = currentCaller();
    return this.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: COLUMNS });
  }

  /**
   * Creates a workspace whose only member, as OWNER, is the signed-in user (send its id as the
   * `Trellis-Workspace` header to act in it). The audit event goes to the new workspace.
   *
   * @throws TrellisException `FORBIDDEN` for an API key (a key belongs to one workspace); `BAD_USER_INPUT`
   *   (path `name`) for an empty name or one over 100 characters
   */
  async create(name: string): Promise<WorkspaceType> {
    const principal = currentRequestContext()?.principal;
    if (principal?.kind !== 'USER') throw TrellisException.forbidden('Only a signed-in user creates workspaces; an API key belongs to one');
    const issues = workspaceNameIssues(name, 'name');
    if (issues.length > 0) throw TrellisException.badUserInput('Invalid workspace name', issues);
    return this.prisma.$transaction(async (tx) => {
      const workspace = await tx.workspace.create({ data: { name: name.trim() }, select: COLUMNS });
      await tx.membership.create({ data: { workspaceId: workspace.id, userId: principal.userId, role: 'OWNER' } });
      await this.audit.record({ action: 'workspace.create', workspaceId: workspace.id, targetType: 'workspace', targetId: workspace.id, metadata: { name: workspace.name } }, tx);
      return workspace;
    });
  }

  /**
   * Renames the request's workspace.
   *
   * @throws TrellisException `BAD_USER_INPUT` (path `name`)
   */
  async rename(name: string): Promise<WorkspaceType> {
    const { workspaceId } = currentCaller();
    const issues = workspaceNameIssues(name, 'name');
    if (issues.length > 0) throw TrellisException.badUserInput('Invalid workspace name', issues);
    return this.prisma.$transaction(async (tx) => {
      const before = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { name: true } });
      const workspace = await tx.workspace.update({ where: { id: workspaceId }, data: { name: name.trim() }, select: COLUMNS });
      await this.audit.record({ action: 'workspace.rename', targetType: 'workspace', targetId: workspaceId, metadata: { from: before.name, to: workspace.name } }, tx);
      return workspace;
    });
  }
}
