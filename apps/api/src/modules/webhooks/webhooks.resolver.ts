import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Agent } from '../../infrastructure/prisma/prisma-client.js';
import { AgentType } from '../agents/dtos/agent.type.js';
import { WebhookSecretsService } from './services/webhook-secrets.service.js';
import { RequirePermission } from '../identity/access/access-declaration.js';
import { Audited } from '../audit/audited.decorator.js';

/** Webhook secrets: `rotateWebhookSecret` and `Agent.webhookSecretRotatedAt`. The secret itself is never readable. */
@Resolver(() => AgentType)
export class WebhooksResolver {
  constructor(private readonly secrets: WebhookSecretsService) {}

  @Audited({ action: 'webhook_secret.rotate', targetType: 'agent', targetId: (args) => args.agentId })
  @RequirePermission('webhooks:rotate')
  @Mutation(() => String, {
    description:
      "Creates or replaces the agent's webhook signing secret and returns it: the only time it is shown. " +
      'The previous secret stops working at once.',
  })
  rotateWebhookSecret(
    @Args('agentId', { type: () => ID, description: 'The agent whose secret to rotate.' }) agentId: string,
  ): Promise<string> {
    return this.secrets.rotate(agentId);
  }

  @ResolveField(() => Date, {
    nullable: true,
    description: 'When the webhook secret was last rotated; null when the agent has none (webhooks are refused).',
  })
  webhookSecretRotatedAt(@Parent() agent: AgentType & Partial<Pick<Agent, 'webhookSecretRotatedAt'>>): Date | null {
    return agent.webhookSecretRotatedAt ?? null;
  }
}
