import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AgentType } from '../agents/dtos/agent.type.js';
import type { Agent } from '../../infrastructure/prisma/prisma-client.js';
import { Audited } from '../audit/audited.decorator.js';
import { RequirePermission } from '../identity/access/access-declaration.js';
import { SecretType } from './dtos/secret.type.js';
import { SetSecretInput } from './dtos/set-secret.input.js';
import { SecretsService } from './services/secrets.service.js';

/** The workspace's vault: list secrets (EDITOR and above), set and delete them (ADMIN and above). */
@Resolver(() => SecretType)
export class SecretsResolver {
  constructor(private readonly secretsService: SecretsService) {}

  @RequirePermission('secrets:read')
  @Query(() => [SecretType], { description: "The workspace's secrets by name, never with their values." })
  secrets(): Promise<SecretType[]> {
    return this.secretsService.list();
  }

  @ResolveField(() => [AgentType], { description: 'The agents whose live version references it.' })
  agents(@Parent() secret: SecretType): Promise<Agent[]> {
    return this.secretsService.usedBy(secret.name);
  }

  @Audited({ action: 'secret.set', targetType: 'secret', targetId: (args) => args.input.name, metadata: (args) => ({ allowedHosts: args.input.allowedHosts ?? [] }) })
  @RequirePermission('secrets:manage')
  @Mutation(() => SecretType, { description: 'Creates a secret, or replaces its value and allowed hosts. The value is sealed at once and never returned.' })
  setSecret(@Args('input', { description: 'The name, the value and the hosts it may be sent to.' }) input: SetSecretInput): Promise<SecretType> {
    return this.secretsService.set(input);
  }

  @Audited({ action: 'secret.delete', targetType: 'secret', targetId: (args) => args.name })
  @RequirePermission('secrets:manage')
  @Mutation(() => String, { description: "Deletes a secret; returns its name. NOT_FOUND for a name the workspace has no secret under." })
  deleteSecret(@Args('name', { description: "The secret's name." }) name: string): Promise<string> {
    return this.secretsService.delete(name);
  }
}
