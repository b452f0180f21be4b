import { Field, ObjectType } from '@nestjs/graphql';
import { ApiKeyType } from './api-key.type.js';

/** What `createApiKey` returns: the only time the key itself is ever sent. */
@ObjectType('CreatedApiKey', { description: 'A new API key, with its value; the value is never shown again.' })
export class CreatedApiKeyType {
  @Field(() => String, {
    description:
      'The key, to send as `Authorization: Bearer <key>`. Shown only here: Trellis keeps its hash, so store it now.',
  })
  key!: string;

  @Field(() => ApiKeyType, { description: 'The key as `apiKeys` lists it.' })
  apiKey!: ApiKeyType;
}
