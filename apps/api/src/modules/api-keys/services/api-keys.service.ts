import { Inject, Injectable } from '@nestjs/common';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { assertUuid } from '../../../common/validation/argument-guards.js';
import { PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { assertWithinRole, currentCaller } from '../../identity/access/current-caller.js';
import { generateApiKey } from '../../identity/credentials/api-key-format.js';
import type { Role } from '../../identity/permissions.js';
import type { ApiKeyType } from '../dtos/api-key.type.js';
import type { CreateApiKeyInput } from '../dtos/create-api-key.input.js';
import type { CreatedApiKeyType } from '../dtos/created-api-key.type.js';

/** Longest API key name, in UTF-16 code units after trimming. */
export const MAX_API_KEY_NAME_LENGTH = 100;

/** The columns an {@link ApiKeyType} is made of; never `tokenHash`. */
const LISTED_COLUMNS = {
  id: true,
  name: true,
  prefix: true,
  role: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdBy: { select: { id: true, email: true } },
} as const;

/**
 * Creating, listing and revoking a workspace's API keys. Every query names the caller's workspace itself, so
 * a key of another workspace is never read, changed or told apart from a missing one. A caller never hands
 * out or takes away more than its own role: the ceiling stops an ADMIN from minting, or revoking, OWNER keys.
 */
@Injectable()
export class ApiKeysService {
  constructor(@Inject(PRISMA) private readonly prisma: TrellisPrismaClient) {}

  /**
   * Creates a key of the caller's workspace and returns it with its value, which is not stored (only its
   * SHA-256 and display prefix are) and so cannot be shown again.
   *
   * @throws TrellisException `BAD_USER_INPUT` listing every problem (paths `input.name`: empty or longer than
   *   {@link MAX_API_KEY_NAME_LENGTH} after trimming; `input.expiresAt`: not a date-time, or not in the
   *   future); `FORBIDDEN` when `input.role` is above the caller's role. Nothing is stored in either case.
   */
  async create(input: CreateApiKeyInput): Promise<CreatedApiKeyType> {
    const caller = currentCaller();
    const name = input.name.trim();
    const expiresAt = input.expiresAt ?? null;
    const issues: { path: string; message: string }[] = [];
    if (name.length === 0 || name.length > MAX_API_KEY_NAME_LENGTH) {
      issues.push({ path: 'input.name', message: `must be between 1 and ${MAX_API_KEY_NAME_LENGTH} characters` });
    }
    if (expiresAt !== null && Number.isNaN(expiresAt.getTime())) {
      issues.push({ path: 'input.expiresAt', message: 'must be an ISO-8601 date-time' });
    } else if (expiresAt !== null && expiresAt.getTime() <= Date.now()) {
      issues.push({ path: 'input.expiresAt', message: 'must be in the future' });
    }
    if (issues.length > 0) throw TrellisException.badUserInput('Invalid API key', issues);
    assertWithinRole(caller, input.role, 'create', 'API keys');

    const { key, prefix, hash } = generateApiKey();
    const row = await this.prisma.apiKey.create({
      data: {
        workspaceId: caller.workspaceId,
        name,
        prefix,
        tokenHash: hash,
        role: input.role,
        createdByUserId: caller.userId,
        expiresAt,
      },
      select: LISTED_COLUMNS,
    });
    return { key, apiKey: toApiKeyType(row) };
  }

  /** The keys of the caller's workspace, revoked and expired ones included, newest first. */
  async list(): Promise<ApiKeyType[]> {
    const { workspaceId } = currentCaller();
    const rows = await this.prisma.apiKey.findMany({
      where: { workspaceId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: LISTED_COLUMNS,
    });
    return rows.map(toApiKeyType);
  }

  /**
   * Revokes a key of the caller's workspace; from then on it is refused as `UNAUTHENTICATED`. Revoking a
   * revoked key changes nothing: `revokedAt` keeps the time of the first revocation.
   *
   * @throws TrellisException `BAD_USER_INPUT` (path `id`) for a malformed id; `NOT_FOUND` when no key of the
   *   caller's workspace has that id, whether it belongs to another workspace or to none; `FORBIDDEN` when the
   *   key's role is above the caller's.
   */
  async revoke(id: string): Promise<ApiKeyType> {
    const caller = currentCaller();
    assertUuid(id, 'id');
    const existing = await this.prisma.apiKey.findFirst({
      where: { id, workspaceId: caller.workspaceId },
      select: { role: true },
    });
    if (!existing) throw TrellisException.notFound('API key', id);
    assertWithinRole(caller, existing.role, 'revoke', 'API keys');
    // Only a key not yet revoked is stamped, so concurrent or repeated revocations keep the first time.
    await this.prisma.apiKey.updateMany({
      where: { id, workspaceId: caller.workspaceId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const row = await this.prisma.apiKey.findFirst({
      where: { id, workspaceId: caller.workspaceId },
      select: LISTED_COLUMNS,
    });
    // Deleted in between, with its workspace: as missing as if it never existed.
    if (!row) throw TrellisException.notFound('API key', id);
    return toApiKeyType(row);
  }
}

/** Copies the listed columns by name, so nothing else a row may carry reaches the response. */
function toApiKeyType(row: {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdBy: { id: string; email: string } | null;
}): ApiKeyType {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdBy: row.createdBy === null ? null : { id: row.createdBy.id, email: row.createdBy.email },
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}
