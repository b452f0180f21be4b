import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { API_CONFIG, type ApiConfig } from '../../../infrastructure/config/api-config.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';
import { PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { hashApiKey, parseApiKey } from '../credentials/api-key-format.js';

/** Name of the workspace created for the bootstrap key when the database has none. */
export const FIRST_WORKSPACE_NAME = 'Default';
/** Name the bootstrap key is listed under. */
export const BOOTSTRAP_API_KEY_NAME = 'bootstrap (TRELLIS_BOOTSTRAP_API_KEY)';
/** Characters of a key not in the `trl_` format shown as its prefix: few enough to reveal nothing useful. */
const FOREIGN_KEY_PREFIX_LENGTH = 4;
/** Wait between attempts while Postgres cannot be reached (ms). */
export const BOOTSTRAP_RETRY_MS = 5_000;

/**
 * Makes sure the key of `TRELLIS_BOOTSTRAP_API_KEY` exists as an OWNER key of the first workspace (the
 * oldest; one named {@link FIRST_WORKSPACE_NAME} is created when there is none), at every start and
 * idempotently: API processes starting together serialise on a transaction-scoped advisory lock. A key
 * that was revoked or demoted is restored, since the environment is the operator's statement of intent;
 * unset the variable and revoke the key to retire it. The API starts even when Postgres is down (its
 * `/healthz` says so): the first attempt is made before the API listens, and failed ones are retried
 * every {@link BOOTSTRAP_RETRY_MS} until one succeeds.
 */
@Injectable()
export class BootstrapApiKeyService implements OnApplicationBootstrap, OnApplicationShutdown {
  #retry: NodeJS.Timeout | undefined;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const key = this.config.bootstrapApiKey;
    if (key !== undefined) await this.attempt(key);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.#retry);
  }

  private async attempt(key: string): Promise<void> {
    try {
      await this.ensure(key);
    } catch (error) {
      this.logger.error({ err: error, retryInMs: BOOTSTRAP_RETRY_MS }, 'could not make sure the bootstrap API key exists');
      this.#retry = setTimeout(() => void this.attempt(key), BOOTSTRAP_RETRY_MS).unref();
    }
  }

  private async ensure(key: string): Promise<void> {
    const parsed = parseApiKey(key);
    const prefix = parsed.ok ? parsed.prefix : `${key.slice(0, FOREIGN_KEY_PREFIX_LENGTH)}…`;
    const tokenHash = hashApiKey(key);
    const workspaceId = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('trellis:bootstrap-api-key'))`;
      const workspace =
        (await tx.workspace.findFirst({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })) ??
        (await tx.workspace.create({ data: { name: FIRST_WORKSPACE_NAME } }));
      await tx.apiKey.upsert({
        where: { tokenHash },
        create: { workspaceId: workspace.id, name: BOOTSTRAP_API_KEY_NAME, prefix, tokenHash, role: 'OWNER' },
        update: { workspaceId: workspace.id, role: 'OWNER', revokedAt: null, expiresAt: null },
      });
      return workspace.id;
    });
    this.logger.info({ workspaceId, prefix }, 'bootstrap API key is an OWNER key of the first workspace');
  }
}
