import { Field, ID, ObjectType } from '@nestjs/graphql';
import { WorkspaceRole } from '../../identity/dtos/workspace-role.enum.js';

/** The user who created an API key, as `ApiKey.createdBy` shows them. */
@ObjectType('ApiKeyCreator', { description: 'The user who created an API key.' })
export class ApiKeyCreatorType {
  @Field(() => ID, { description: "The user's id." })
  id!: string;

  @Field(() => String, { description: "The user's email address, as they typed it." })
  email!: string;
}

/**
 * An API key as lists show it. Neither the key nor its hash is part of it: the key is shown once, by
 * `createApiKey`, and only its display prefix is kept in the clear.
 */
@ObjectType('ApiKey', {
  description: "A workspace's API key: a credential acting with its role, until it expires or is revoked.",
})
export class ApiKeyType {
  @Field(() => ID, { description: "The key's id." })
  id!: string;

  @Field(() => String, { description: 'Chosen by whoever created the key, to recognise it; 1–100 characters.' })
  name!: string;

  @Field(() => String, {
    description: 'The first characters of the key (`trl_` and 8 more), enough to tell keys apart but not to use one.',
  })
  prefix!: string;

  @Field(() => WorkspaceRole, { description: 'The role the key acts with in its workspace.' })
  role!: WorkspaceRole;

  @Field(() => ApiKeyCreatorType, {
    nullable: true,
    description: 'The user who created the key; null when an API key created it, or that user was deleted.',
  })
  createdBy!: ApiKeyCreatorType | null;

  @Field(() => Date, { description: 'When the key was created.' })
  createdAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the key was last used, to the minute; null when it never was.',
  })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key stops working; null when it does not expire.' })
  expiresAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the key was revoked, after which it is refused; null while it is not.',
  })
  revokedAt!: Date | null;
}
