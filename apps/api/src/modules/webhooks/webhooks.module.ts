import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { SecretCipher } from './services/secret-cipher.service.js';
import { WebhookRunsService } from './services/webhook-runs.service.js';
import { WebhookSecretsService } from './services/webhook-secrets.service.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksResolver } from './webhooks.resolver.js';

/**
 * Webhooks: `POST /hooks/:agentId` (signed calls that start runs) and `rotateWebhookSecret`. The raw body
 * reader is mounted by `createApi` (`registerWebhookBodyReader`), because it must run before Nest's JSON parser.
 */
@Module({
  imports: [AgentsModule, RunsModule],
  controllers: [WebhooksController],
  providers: [WebhooksResolver, WebhookSecretsService, WebhookRunsService, SecretCipher],
})
export class WebhooksModule {}
