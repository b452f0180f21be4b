import { Inject, Injectable } from '@nestjs/common';
import { newDataKey, readVaultMasterKeys, sealSecret, unwrapDataKey, type VaultMasterKeys } from '@trellis/db';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { API_CONFIG, type ApiConfig } from '../../../infrastructure/config/api-config.js';
import { type Agent, PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { currentCaller } from '../../identity/access/current-caller.js';
import type { SecretType } from '../dtos/secret.type.js';
import type { SetSecretInput } from '../dtos/set-secret.input.js';

/** Secret names, as `{{ secrets.NAME }}` references them. */
export const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]*$/;
/** Longest secret name (characters). */
export const MAX_SECRET_NAME_LENGTH = 128;
/** Largest secret value (bytes of UTF-8): tokens, keys and certificates fit. */
export const MAX_SECRET_VALUE_BYTES = 65_536;
/** An allowed host: a lower-case DNS name or IP literal, with an optional port. */
const ALLOWED_HOST_PATTERN = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/;

const LISTED = { name: true, allowedHosts: true, createdAt: true, updatedAt: true, lastUsedAt: true } as const;

/**
 * The workspace's vault: secrets set, listed and deleted, each value sealed by the workspace's data key
 * (created on the first secret) under the master key from `TRELLIS_SECRET_KEY`. Values never leave sealed.
 */
@Injectable()
export class SecretsService {
  private readonly masterKeys: VaultMasterKeys | null;

  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.masterKeys = config.secretKey ? readVaultMasterKeys({ TRELLIS_SECRET_KEY: config.secretKey, TRELLIS_PREVIOUS_SECRET_KEYS: config.previousSecretKeys?.join(',') }) : null;
  }

  /** The workspace's secrets by name, without values. */
  list(): Promise<SecretType[]> {
    return this.prisma.secret.findMany({ orderBy: { name: 'asc' }, select: LISTED });
  }

  /**
   * Creates the secret, or replaces its value and hosts.
   *
   * @throws TrellisException `BAD_USER_INPUT` for a bad name, value or host (with its path), or when the API
   *   has no `TRELLIS_SECRET_KEY` to seal with
   */
  async set(input: SetSecretInput): Promise<SecretType> {
    const issues = [
      ...(SECRET_NAME_PATTERN.test(input.name) && input.name.length <= MAX_SECRET_NAME_LENGTH
        ? []
        : [{ path: 'input.name', message: `must match ${SECRET_NAME_PATTERN.source} and be at most ${MAX_SECRET_NAME_LENGTH} characters` }]),
      ...(input.value.length > 0 && Buffer.byteLength(input.value) <= MAX_SECRET_VALUE_BYTES ? [] : [{ path: 'input.value', message: `must be 1–${MAX_SECRET_VALUE_BYTES} bytes` }]),
      ...(input.allowedHosts ?? []).flatMap((host, index) =>
        ALLOWED_HOST_PATTERN.test(host.trim().toLowerCase()) ? [] : [{ path: `input.allowedHosts[${index}]`, message: 'must be a host name or address, with an optional :port' }],
      ),
    ];
    if (issues.length > 0) throw TrellisException.badUserInput('Invalid secret', issues);
    const { workspaceId } = currentCaller();
    const dataKey = await this.dataKey(workspaceId);
    const allowedHosts = [...new Set((input.allowedHosts ?? []).map((host) => host.trim().toLowerCase()))];
    const sealedValue = sealSecret(dataKey, workspaceId, input.name, input.value);
    return this.prisma.secret.upsert({
      where: { workspaceId_name: { workspaceId, name: input.name } },
      create: { workspaceId, name: input.name, sealedValue, allowedHosts },
      update: { sealedValue, allowedHosts },
      select: LISTED,
    });
  }

  /** The workspace's agents whose live version references the secret `name`, by name. */
  usedBy(name: string): Promise<Agent[]> {
    return this.prisma.agent.findMany({ where: { liveVersion: { secretNames: { has: name } } }, orderBy: { name: 'asc' } });
  }

  /**
   * Deletes a secret; returns its name.
   *
   * @throws TrellisException `CONFLICT` naming the agents whose live version uses it (publish versions without
   *   it first); `NOT_FOUND` for a name the workspace has no secret under
   */
  async delete(name: string): Promise<string> {
    const users = await this.usedBy(name);
    if (users.length > 0) {
      throw TrellisException.conflict(`Secret ${name} is used by the live version of ${users.map((agent) => `"${agent.name}"`).join(', ')}; publish versions without it first`);
    }
    const { count } = await this.prisma.secret.deleteMany({ where: { name } });
    if (count === 0) throw TrellisException.notFound('Secret', name);
    return name;
  }

  /** The workspace's data key, created (and wrapped) on first use; concurrent first uses agree on one. */
  private async dataKey(workspaceId: string) {
    if (!this.masterKeys) throw TrellisException.badUserInput('The secrets vault needs TRELLIS_SECRET_KEY to be set on the API', []);
    const stored = await this.prisma.workspaceVaultKey.findUnique({ where: { workspaceId } });
    if (stored) return unwrapDataKey(this.masterKeys, workspaceId, stored.wrappedKey);
    const created = newDataKey(this.masterKeys, workspaceId);
    await this.prisma.workspaceVaultKey.createMany({ data: [{ workspaceId, wrappedKey: created.wrapped }], skipDuplicates: true });
    const kept = await this.prisma.workspaceVaultKey.findUniqueOrThrow({ where: { workspaceId } });
    return unwrapDataKey(this.masterKeys, workspaceId, kept.wrappedKey);
  }
}
