import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { webhookSecretContext } from '@trellis/db';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';
import { type Agent, PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { AgentsService } from '../../agents/services/agents.service.js';
import { SecretCipher, SecretDecryptionError } from './secret-cipher.service.js';

/** Prefix of generated secrets, so they are recognisable in configuration files and secret scanners. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** Random bytes in a generated secret (256 bits). */
const SECRET_BYTES = 32;

/** An agent and its decrypted webhook secret; `secret` is null when none is set or it cannot be decrypted. */
export interface AgentWebhookSecret {
  agent: Agent;
  secret: string | null;
}

/** Per-agent webhook signing secrets, encrypted at rest by {@link SecretCipher}. */
@Injectable()
export class WebhookSecretsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly agents: AgentsService,
    private readonly cipher: SecretCipher,
  ) {}

  /**
   * Generates a new secret (`whsec_` + 32 random bytes in base64url), stores it encrypted (replacing the
   * previous one, which stops working at once) and returns it: the only time it is shown.
   *
   * @throws TrellisException `BAD_USER_INPUT` for a malformed id, `NOT_FOUND` for an unknown agent
   */
  async rotate(agentId: string): Promise<string> {
    const agent = await this.agents.getById(agentId, 'agentId');
    const secret = `${WEBHOOK_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
    await this.prisma.agent.update({
      where: { id: agent.id },
      data: { webhookSecret: this.cipher.encrypt(secret, webhookSecretContext(agent.id)), webhookSecretRotatedAt: new Date() },
    });
    return secret;
  }

  /**
   * The agent and its decrypted secret.
   *
   * @returns null when `agentId` is not a UUID or no such agent exists
   */
  async find(agentId: string): Promise<AgentWebhookSecret | null> {
    const agent = await this.agents.getById(agentId, 'agentId').catch((error: unknown) => {
      if (error instanceof TrellisException) return null;
      throw error;
    });
    if (!agent) return null;
    if (agent.webhookSecret === null) return { agent, secret: null };
    try {
      return { agent, secret: this.cipher.decrypt(agent.webhookSecret, webhookSecretContext(agent.id)) };
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      // Typically TRELLIS_SECRET_KEY changed since the secret was stored: calls are refused until a rotation.
      this.logger.error({ agentId: agent.id, reason: error.message }, 'webhook secret cannot be decrypted; rotate it');
      return { agent, secret: null };
    }
  }
}
