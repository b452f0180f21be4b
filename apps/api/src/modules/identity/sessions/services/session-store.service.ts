import { Inject, Injectable } from '@nestjs/common';
import { PRISMA, type TrellisPrismaClient } from '../../../../infrastructure/prisma/prisma-client.js';
import { generateOpaqueToken } from '../../credentials/opaque-token.js';
import { currentRequestContext } from '../../access/request-context.js';

/**
 * Absolute lifetime of a session (ms): 7 days from sign-in, however often it is used. The idle timeout,
 * `SESSION_IDLE_TIMEOUT_MS` of the principal resolver (12 hours), ends it sooner when it goes unused.
 */
export const SESSION_ABSOLUTE_LIFETIME_MS = 7 * 24 * 60 * 60_000;

/** Longest user agent stored with a session (UTF-16 code units); longer ones are cut, since it is only informative. */
const MAX_USER_AGENT_LENGTH = 512;

/** A Prisma client or an interactive transaction's client: what a session is written with. */
export type SessionWriter = Pick<TrellisPrismaClient, 'session'>;

/** A session just created: the token for the cookie (never stored) and when it expires at the latest. */
export interface StartedSession {
  /** The opaque session token (43 base64url characters); the `sessions` row keeps its SHA-256 only. */
  token: string;
  sessionId: string;
  expiresAt: Date;
}

/** Creates and ends the `sessions` rows behind session cookies. */
@Injectable()
export class SessionStoreService {
  constructor(@Inject(PRISMA) private readonly prisma: TrellisPrismaClient) {}

  /**
   * Signs `userId` in: stores a new session expiring {@link SESSION_ABSOLUTE_LIFETIME_MS} from now, with
   * the current request's client address and user agent.
   *
   * @param writer the client to write with; pass a transaction's to create the session inside it.
   */
  async start(userId: string, writer: SessionWriter = this.prisma): Promise<StartedSession> {
    const { token, hash } = generateOpaqueToken();
    const context = currentRequestContext();
    const session = await writer.session.create({
      data: {
        tokenHash: hash,
        userId,
        expiresAt: new Date(Date.now() + SESSION_ABSOLUTE_LIFETIME_MS),
        ip: context?.ip ?? null,
        userAgent: context?.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
      },
    });
    return { token, sessionId: session.id, expiresAt: session.expiresAt };
  }

  /** Deletes a session, so its cookie stops working at once; nothing happens when it is already gone. */
  async end(sessionId: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id: sessionId } });
  }
}
