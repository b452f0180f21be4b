import { Inject, Injectable } from '@nestjs/common';
import { TrellisException } from '../../../../common/exceptions/trellis-exception.js';
import { type RateLimitHit, type RateLimitRule, RateLimiterService } from '../../../../common/rate-limit/rate-limiter.service.js';
import { PRISMA, type TrellisPrismaClient } from '../../../../infrastructure/prisma/prisma-client.js';
import { currentRequestContext } from '../../access/request-context.js';
import { verifyAgainstDummy, verifyPassword } from '../../credentials/password-hasher.js';
import { sha256Hex } from '../../credentials/sha256-hex.js';
import { AuditLog } from '../../../audit/services/audit-log.service.js';
import { SessionStoreService, type StartedSession } from './session-store.service.js';

/**
 * Failed sign-ins allowed per email address and, separately, per client address: 10 per fixed 15-minute
 * window, after which the email or address is refused until the window ends. Ten failures let someone who
 * mistypes a password retry comfortably, while a guesser gets at most 960 tries a day per address.
 */
export const LOGIN_FAILURE_LIMIT: RateLimitRule = { limit: 10, windowMs: 15 * 60_000 };

/** The one message of every failed sign-in, so a response never tells whether the email is registered. */
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid email or password';

/** Signs users in with an email address and a password. */
@Injectable()
export class LoginService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    private readonly limiter: RateLimiterService,
    private readonly sessions: SessionStoreService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Checks the password with argon2id (an unknown email is checked against a dummy hash, so that the
   * response time does not reveal whether it is registered) and starts a session. Failures count against
   * {@link LOGIN_FAILURE_LIMIT} in the buckets `login:email:<SHA-256 of the lower-cased email>` (hashed so
   * that the table holds no addresses) and `login:ip:<client address>`; each attempt takes a hit before the
   * password is checked and gives it back when the password was right, so parallel guesses cannot overshoot.
   *
   * @throws TrellisException `TOO_MANY_REQUESTS` (with `extensions.retryAfterSeconds`) when either bucket
   *   is full, before the password is checked; `UNAUTHENTICATED` {@link INVALID_CREDENTIALS_MESSAGE} for an
   *   unknown email or a wrong password alike.
   */
  async login(email: string, password: string): Promise<StartedSession & { userId: string }> {
    const trimmed = email.trim();
    const hits = await this.takeAttempt([
      `login:email:${sha256Hex(trimmed.toLowerCase())}`,
      `login:ip:${currentRequestContext()?.ip ?? 'unknown'}`,
    ]);
    let failed = false;
    try {
      // lower() on both sides matches the unique index on lower(email), which is what makes addresses unique.
      const [user] = await this.prisma.$queryRaw<{ id: string; password_hash: string }[]>`
        SELECT id, password_hash FROM users WHERE lower(email) = lower(${trimmed}) LIMIT 1`;
      const matches = user ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password);
      if (!user || !matches) {
        failed = true;
        await this.recordLogin(user?.id ?? null, 'DENIED', trimmed);
        throw TrellisException.unauthenticated(INVALID_CREDENTIALS_MESSAGE);
      }
      const session = await this.sessions.start(user.id);
      await this.recordLogin(user.id, 'SUCCESS', trimmed);
      return { ...session, userId: user.id };
    } finally {
      // Only a wrong password counts; a success or an error of ours (database down) gives the hits back.
      if (!failed) await Promise.all(hits.map((hit) => this.limiter.refund(hit)));
    }
  }

  /**
   * Records a sign-in in the audit log of each workspace the user belongs to (so its admins see it), or
   * once without a workspace for an unknown email or a user in none.
   */
  private async recordLogin(userId: string | null, outcome: 'SUCCESS' | 'DENIED', email: string): Promise<void> {
    const memberships = userId === null ? [] : await this.prisma.membership.findMany({ where: { userId }, select: { workspaceId: true } });
    const workspaces = memberships.length === 0 ? [null] : memberships.map((membership) => membership.workspaceId);
    for (const workspaceId of workspaces) {
      await this.audit.record({
        action: 'session.login',
        outcome,
        actor: { type: 'USER', id: userId },
        workspaceId,
        targetType: 'user',
        targetId: userId,
        metadata: { email },
      });
    }
  }

  /** Takes a hit in every bucket, or none: a full bucket gives back the hits already taken and refuses. */
  private async takeAttempt(buckets: string[]): Promise<RateLimitHit[]> {
    const hits: RateLimitHit[] = [];
    for (const bucket of buckets) {
      const decision = await this.limiter.take(bucket, LOGIN_FAILURE_LIMIT);
      if (!decision.allowed) {
        await Promise.all(hits.map((hit) => this.limiter.refund(hit)));
        const { retryAfterSeconds } = decision;
        throw TrellisException.tooManyRequests(
          `Too many failed sign-in attempts; try again in ${retryAfterSeconds} seconds`,
          retryAfterSeconds,
        );
      }
      hits.push(decision.hit);
    }
    return hits;
  }
}
