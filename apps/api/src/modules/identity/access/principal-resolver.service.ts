import { Inject, Injectable } from '@nestjs/common';
import { parse as parseCookies } from 'cookie';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { hashApiKey, looksLikeApiKey, parseApiKey } from '../credentials/api-key-format.js';
import { hashOpaqueToken } from '../credentials/opaque-token.js';
import { isRole } from '../permissions.js';
import { type CredentialCarrier, headerOf } from './credential-carrier.js';
import type { Principal } from './principal.js';

/** Name of the browser session cookie. */
export const SESSION_COOKIE = 'trellis_session';
/** A session unused this long (ms) has expired: 12 hours. */
export const SESSION_IDLE_TIMEOUT_MS = 12 * 60 * 60_000;
/** `lastSeenAt`/`lastUsedAt` are written at most this often per session or key (ms), not on every request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;
/** Shortest bearer value looked up at all: the bootstrap key's minimum length. */
const MIN_BEARER_LENGTH = 32;

/**
 * Turns a request's credentials into a {@link Principal}: `Authorization: Bearer <API key>`, or else the
 * session cookie (with the `Trellis-Workspace` header choosing among the user's workspaces). Nothing that
 * fails says which part failed beyond the format, so a response never tells whether a key or session exists.
 */
@Injectable()
export class PrincipalResolverService {
  constructor(@Inject(PRISMA) private readonly prisma: TrellisPrismaClient) {}

  /**
   * @throws TrellisException `UNAUTHENTICATED` when there are no credentials, or they are malformed,
   *   unknown, expired or revoked; `NOT_FOUND` when the `Trellis-Workspace` header names a workspace the
   *   session's user is not a member of, exactly as if it did not exist.
   */
  async resolve(carrier: CredentialCarrier): Promise<Principal> {
    if (carrier.trellisPrincipal) return carrier.trellisPrincipal;
    const authorization = headerOf(carrier, 'authorization');
    const principal =
      authorization !== undefined ? await this.fromBearer(authorization) : await this.fromSession(carrier);
    carrier.trellisPrincipal = principal;
    return principal;
  }

  private async fromBearer(authorization: string): Promise<Principal> {
    const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
    if (!match) throw TrellisException.unauthenticated('The Authorization header must be "Bearer <API key>"');
    const key = match[1];
    if (looksLikeApiKey(key) ? !parseApiKey(key).ok : key.length < MIN_BEARER_LENGTH) {
      throw TrellisException.unauthenticated('Not a valid Trellis API key (check for a typo or a truncated key)');
    }
    const now = new Date();
    const row = await this.prisma.apiKey.findUnique({ where: { tokenHash: hashApiKey(key) } });
    if (!row || row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now) || !isRole(row.role)) {
      throw TrellisException.unauthenticated('The API key is unknown, expired or revoked');
    }
    if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
      await this.prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    }
    return { kind: 'API_KEY', apiKeyId: row.id, name: row.name, workspaceId: row.workspaceId, role: row.role };
  }

  private async fromSession(carrier: CredentialCarrier): Promise<Principal> {
    const cookieHeader = headerOf(carrier, 'cookie');
    const token = cookieHeader === undefined ? undefined : parseCookies(cookieHeader)[SESSION_COOKIE];
    if (!token) throw TrellisException.unauthenticated('Sign in, or send an API key as "Authorization: Bearer <key>"');
    const now = new Date();
    const session = await this.prisma.session.findUnique({
      where: { tokenHash: hashOpaqueToken(token) },
      include: { user: { include: { memberships: true } } },
    });
    if (!session || session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_TIMEOUT_MS) {
      throw TrellisException.unauthenticated('The session has expired; sign in again');
    }
    if (now.getTime() - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
      await this.prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
    }
    const { user } = session;
    const requested = headerOf(carrier, 'trellis-workspace');
    const memberships = user.memberships;
    const membership =
      requested !== undefined
        ? memberships.find((candidate) => candidate.workspaceId === requested)
        : memberships.length === 1
          ? memberships[0]
          : undefined;
    if (requested !== undefined && membership === undefined) {
      throw TrellisException.notFound('Workspace', requested);
    }
    return {
      kind: 'USER',
      userId: user.id,
      email: user.email,
      sessionId: session.id,
      workspaceId: membership?.workspaceId ?? null,
      role: membership && isRole(membership.role) ? membership.role : null,
    };
  }
}
