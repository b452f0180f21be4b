import { Field, InputType } from '@nestjs/graphql';
import { WorkspaceRole } from '../../identity/dtos/workspace-role.enum.js';

/** The arguments of `createApiKey`. */
@InputType({ description: 'An API key to create with `createApiKey`, in the caller\'s workspace.' })
export class CreateApiKeyInput {
  @Field(() => String, { description: 'A name to recognise the key by; 1–100 characters after trimming.' })
  name!: string;

  @Field(() => WorkspaceRole, { description: "The role the key acts with; at most the caller's own." })
  role!: WorkspaceRole;

  @Field(() => Date, {
    nullable: true,
    description: 'When the key stops working; must be in the future. Absent or null: the key does not expire.',
  })
  expiresAt?: Date | null;
}
