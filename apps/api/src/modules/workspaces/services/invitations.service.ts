import { Inject, Injectable } from '@nestjs/common';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { API_CONFIG, type ApiConfig } from '../../../infrastructure/config/api-config.js';
import { PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { withSystemScope } from '../../../infrastructure/prisma/workspace-scope.js';
import { AuditLog } from '../../audit/services/audit-log.service.js';
import { assertWithinRole, currentCaller } from '../../identity/access/current-caller.js';
import { generateOpaqueToken, hashOpaqueToken } from '../../identity/credentials/opaque-token.js';
import { hashPassword, verifyPassword } from '../../identity/credentials/password-hasher.js';
import type { Role } from '../../identity/permissions.js';
import { accountIssues, emailIssues } from '../../identity/sessions/services/account-input.js';
import { SessionStoreService, type StartedSession } from '../../identity/sessions/services/session-store.service.js';
import type { CreatedInvitationType, InvitationType } from '../dtos/invitation.type.js';
import { assertUuid } from '../../../common/validation/argument-guards.js';

/** How long an invitation can be accepted: 7 days (ms). */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60_000;

/** The one refusal of a token that is unknown, used or expired, so the answer does not tell them apart. */
const UNUSABLE_INVITATION = 'This invitation is not valid: it may have been used or have expired';

/** Inviting people to a workspace and redeeming invitations. No email is sent: the inviter passes the link on. */
@Injectable()
export class InvitationsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly sessions: SessionStoreService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Creates a single-use invitation to the caller's workspace, valid for 7 days.
   *
   * @throws TrellisException `BAD_USER_INPUT` (path `email`); `FORBIDDEN` for a role above the caller's
   */
  async invite(email: string, role: Role): Promise<CreatedInvitationType> {
    const caller = currentCaller();
    const issues = emailIssues(email, 'email');
    if (issues.length > 0) throw TrellisException.badUserInput('Invalid invitation', issues);
    assertWithinRole(caller, role, 'invite', 'members');
    const { token, hash } = generateOpaqueToken();
    const invitation = await this.prisma.invitation.create({
      data: {
        workspaceId: caller.workspaceId,
        email: email.trim(),
        role,
        tokenHash: hash,
        invitedByUserId: caller.userId,
        expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
      },
      select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
    });
    await this.audit.record({ action: 'member.invite', targetType: 'invitation', targetId: invitation.id, metadata: { email: invitation.email, role } });
    const url = this.config.publicUrl ? `${this.config.publicUrl}/invitations/accept?token=${encodeURIComponent(token)}` : null;
    return { invitation, token, url };
  }

  /** The workspace's invitations not yet accepted and not expired, newest first. */
  listPending(workspaceId: string): Promise<InvitationType[]> {
    return this.prisma.invitation.findMany({
      where: { workspaceId, acceptedAt: null, expiresAt: { gt: new Date() } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
    });
  }

  /**
   * Withdraws a pending invitation of the caller's workspace: its link stops working at once.
   *
   * @returns the invitation's id
   * @throws TrellisException `BAD_USER_INPUT` for a malformed id; `NOT_FOUND` for an unknown, accepted or expired one
   */
  async revoke(id: string): Promise<string> {
    assertUuid(id, 'id');
    const { count } = await this.prisma.invitation.deleteMany({ where: { id, acceptedAt: null, expiresAt: { gt: new Date() } } });
    if (count === 0) throw TrellisException.notFound('Invitation', id);
    await this.audit.record({ action: 'member.invitation_revoke', targetType: 'invitation', targetId: id });
    return id;
  }

  /**
   * Redeems an invitation: the invited address's account (created now with `password` if there is none)
   * joins the workspace with the invited role and is signed in. An existing account proves itself with its
   * password, or by being the signed-in user (`signedInUserId`).
   *
   * @throws TrellisException `UNAUTHENTICATED` for an unknown, used or expired token, or a wrong password;
   *   `BAD_USER_INPUT` (path `password`) when a password is needed and missing, or a new account's password
   *   is too weak; `FORBIDDEN` when signed in as another user; `CONFLICT` when already a member
   */
  async accept(token: string, password: string | null, signedInUserId: string | null): Promise<StartedSession & { userId: string; workspaceId: string }> {
    const invitation = await withSystemScope('an invitation token names its workspace', () =>
      this.prisma.invitation.findUnique({ where: { tokenHash: hashOpaqueToken(token) } }),
    );
    if (!invitation || invitation.acceptedAt !== null || invitation.expiresAt.getTime() <= Date.now()) {
      throw TrellisException.unauthenticated(UNUSABLE_INVITATION);
    }
    const [existing] = await this.prisma.$queryRaw<{ id: string; password_hash: string }[]>`
      SELECT id, password_hash FROM users WHERE lower(email) = lower(${invitation.email}) LIMIT 1`;
    if (signedInUserId !== null && existing?.id !== signedInUserId) {
      throw TrellisException.forbidden(`This invitation is for ${invitation.email}: sign out, or accept it with that account's password`);
    }
    if (signedInUserId === null) {
      if (!password) throw TrellisException.badUserInput('A password is needed', [{ path: 'password', message: 'required unless signed in as the invited user' }]);
      if (existing) {
        if (!(await verifyPassword(existing.password_hash, password))) throw TrellisException.unauthenticated('Invalid password');
      } else {
        const issues = accountIssues(invitation.email, password);
        if (issues.length > 0) throw TrellisException.badUserInput('Invalid account', issues);
      }
    }
    const passwordHash = existing || !password ? null : await hashPassword(password);
    return withSystemScope('redeeming an invitation writes to its workspace', () =>
      this.prisma.$transaction(async (tx) => {
        const taken = await tx.invitation.updateMany({
          where: { id: invitation.id, acceptedAt: null },
          data: { acceptedAt: new Date() },
        });
        if (taken.count !== 1) throw TrellisException.unauthenticated(UNUSABLE_INVITATION);
        const userId = existing?.id ?? (await tx.user.create({ data: { email: invitation.email, passwordHash: passwordHash! }, select: { id: true } })).id;
        const member = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId: invitation.workspaceId, userId } } });
        if (member) throw TrellisException.conflict(`${invitation.email} is already a member of this workspace`);
        await tx.membership.create({ data: { workspaceId: invitation.workspaceId, userId, role: invitation.role } });
        await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedByUserId: userId } });
        await this.audit.record(
          { action: 'member.join', actor: { type: 'USER', id: userId }, workspaceId: invitation.workspaceId, targetType: 'invitation', targetId: invitation.id, metadata: { role: invitation.role } },
          tx,
        );
        const session = await this.sessions.start(userId, tx);
        return { ...session, userId, workspaceId: invitation.workspaceId };
      }),
    );
  }
}
