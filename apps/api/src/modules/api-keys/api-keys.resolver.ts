import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../identity/access/access-declaration.js';
import { ApiKeyType } from './dtos/api-key.type.js';
import { CreateApiKeyInput } from './dtos/create-api-key.input.js';
import { CreatedApiKeyType } from './dtos/created-api-key.type.js';
import { ApiKeysService } from './services/api-keys.service.js';
import { Audited } from '../audit/audited.decorator.js';

/** The caller's workspace's API keys: create, list, revoke. */
@Resolver(() => ApiKeyType)
export class ApiKeysResolver {
  constructor(private readonly apiKeysService: ApiKeysService) {}

  @RequirePermission('apiKeys:manage')
  @Query(() => [ApiKeyType], {
    description: "The API keys of the caller's workspace, newest first, revoked and expired ones included.",
  })
  apiKeys(): Promise<ApiKeyType[]> {
    return this.apiKeysService.list();
  }

  @Audited({ action: 'api_key.create', targetType: 'api_key', targetId: (_args, created) => created.apiKey.id, metadata: (args) => ({ name: args.input.name, role: args.input.role }) })
  @RequirePermission('apiKeys:manage')
  @Mutation(() => CreatedApiKeyType, {
    description:
      "Creates an API key in the caller's workspace and returns its value, once. FORBIDDEN for a role above the " +
      "caller's; BAD_USER_INPUT for an empty or too long name or an expiry that is not in the future.",
  })
  createApiKey(
    @Args('input', { description: 'The name, role and optional expiry of the key.' }) input: CreateApiKeyInput,
  ): Promise<CreatedApiKeyType> {
    return this.apiKeysService.create(input);
  }

  @Audited({ action: 'api_key.revoke', targetType: 'api_key', targetId: (args) => args.id })
  @RequirePermission('apiKeys:manage')
  @Mutation(() => ApiKeyType, {
    description:
      'Revokes an API key, which is refused from then on; revoking it again keeps the first `revokedAt`. ' +
      "NOT_FOUND for a key that is not the caller's workspace's; FORBIDDEN for a key whose role is above the caller's.",
  })
  revokeApiKey(@Args('id', { type: () => ID, description: "The key's id." }) id: string): Promise<ApiKeyType> {
    return this.apiKeysService.revoke(id);
  }
}
