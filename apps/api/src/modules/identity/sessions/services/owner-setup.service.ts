import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { TrellisException } from '../../../../common/exceptions/trellis-exception.js';
import { LOGGER } from '../../../../infrastructure/logging/logger.js';
import { PRISMA, type TrellisPrismaClient } from '../../../../infrastructure/prisma/prisma-client.js';
import { generateOpaqueToken, hashOpaqueToken } from '../../credentials/opaque-token.js';
import { hashPassword } from '../../credentials/password-hasher.js';
import { accountIssues, workspaceNameIssues } from './account-input.js';
import { AuditLog } from '../../../audit/services/audit-log.service.js';
import { SessionStoreService, type StartedSession } from './session-store.service.js';

/** Wait between attempts to issue the setup token while Postgres cannot be reached (ms). */
export const SETUP_TOKEN_RETRY_MS = 5_000;

/** What `setupOwner` is given. */
export interface OwnerSetup {
  /** A setup token from the API's log. */
  token: string;
  email: string;
  password: string;
  workspaceName: string;
}

/**
 * First run: while no user exists, every start of the API stores a new one-time setup token (its hash, in
 * `setup_tokens`) and logs it once at `warn` level; tokens of earlier starts stay valid. `setupOwner`
 * redeems any of them for the owner account, which uses them all up. Issuing a token and creating the
 * owner serialise on one transaction-scoped advisory lock, so concurrent calls (from any API process)
 * make exactly one owner, and no token is issued once the owner exists. When Postgres is down at startup
 * the API starts anyway and retries every {@link SETUP_TOKEN_RETRY_MS} until a pass succeeds.
 */
@Injectable()
export class OwnerSetupService implements OnApplicationBootstrap, OnApplicationShutdown {
  #retry: NodeJS.Timeout | undefined;

  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly sessions: SessionStoreService,
    private readonly audit: AuditLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.attemptIssue();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.#retry);
  }

  /**
   * Creates the owner account: the user (argon2id password hash), its OWNER membership of the first
   * workspace (the oldest, renamed to `workspaceName`; created when there is none), and a session; deletes
   * every setup token. All in one transaction under the setup lock.
   *
   * @throws TrellisException `BAD_USER_INPUT` (paths `email`, `password`, `workspaceName`) for an address
   *   that does not look like one, a password the policy rejects, or an empty or too long name; `CONFLICT`
   *   once a user exists; `UNAUTHENTICATED` for a token that is not stored (mistyped, or from another
   *   database).
   */
  async setupOwner(setup: OwnerSetup): Promise<StartedSession & { userId: string }> {
    const issues = [...accountIssues(setup.email, setup.password), ...workspaceNameIssues(setup.workspaceName, 'workspaceName')];
    if (issues.length > 0) throw TrellisException.badUserInput('Invalid owner account', issues);
    const tokenHash = hashOpaqueToken(setup.token);
    // Checked before hashing as well as inside the transaction, so that calls without a valid token (or
    // after setup) cost no argon2 work.
    await this.checkSetupAllowed(this.prisma, tokenHash);
    const passwordHash = await hashPassword(setup.password);
    const email = setup.email.trim();
    const workspaceName = setup.workspaceName.trim();
    const created = await this.prisma.$transaction(async (tx) => {
      await lockSetup(tx);
      await this.checkSetupAllowed(tx, tokenHash);
      const user = await tx.user.create({ data: { email, passwordHash }, select: { id: true } });
      const first = await tx.workspace.findFirst({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } });
      const workspace = first
        ? await tx.workspace.update({ where: { id: first.id }, data: { name: workspaceName }, select: { id: true } })
        : await tx.workspace.create({ data: { name: workspaceName }, select: { id: true } });
      await tx.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role: 'OWNER' } });
      await tx.setupToken.deleteMany({});
      await this.audit.record(
        { action: 'workspace.setup', actor: { type: 'USER', id: user.id }, workspaceId: workspace.id, targetType: 'workspace', targetId: workspace.id, metadata: { email } },
        tx,
      );
      const session = await this.sessions.start(user.id, tx);
      return { ...session, userId: user.id, workspaceId: workspace.id };
    });
    this.logger.info({ userId: created.userId, workspaceId: created.workspaceId }, 'owner account created; setup tokens used up');
    return created;
  }

  private async checkSetupAllowed(db: Pick<TrellisPrismaClient, 'user' | 'setupToken'>, tokenHash: string): Promise<void> {
    if (await db.user.findFirst({ select: { id: true } })) {
      throw TrellisException.conflict('This installation already has its owner; sign in with login instead');
    }
    if (!(await db.setupToken.findUnique({ where: { tokenHash }, select: { id: true } }))) {
      throw TrellisException.unauthenticated("Unknown setup token: use one from this API's log");
    }
  }

  private async attemptIssue(): Promise<void> {
    try {
      await this.issueIfNoUser();
    } catch (error) {
      this.logger.error({ err: error, retryInMs: SETUP_TOKEN_RETRY_MS }, 'could not check whether a setup token is needed');
      this.#retry = setTimeout(() => void this.attemptIssue(), SETUP_TOKEN_RETRY_MS).unref();
    }
  }

  private async issueIfNoUser(): Promise<void> {
    const token = await this.prisma.$transaction(async (tx) => {
      await lockSetup(tx);
      if (await tx.user.findFirst({ select: { id: true } })) return undefined;
      const generated = generateOpaqueToken();
      await tx.setupToken.create({ data: { tokenHash: generated.hash } });
      return generated.token;
    });
    if (token === undefined) return;
    // The one place the token appears; only its hash is stored, so the log is the way to get it.
    this.logger.warn(
      { setupToken: token },
      `No user exists yet. Create the owner account with the setupOwner mutation and this one-time setup token: ${token}`,
    );
  }
}

/** The advisory lock that serialises issuing setup tokens and creating the owner, until the transaction ends. */
async function lockSetup(tx: Pick<TrellisPrismaClient, '$executeRaw'>): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('trellis:owner-setup'))`;
}
