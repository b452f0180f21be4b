import { Field, ObjectType } from '@nestjs/graphql';
import { PrincipalKind } from './principal-kind.enum.js';
import { UserType } from './user.type.js';
import { WorkspaceMembershipType } from './workspace-membership.type.js';

/**
 * The caller: the signed-in user and their workspaces, or an API key's workspace. Built by
 * `MeService`; `user` is null for an API key.
 */
@ObjectType('Me', { description: 'Who the caller is and which workspaces it may act in.' })
export class MeType {
  @Field(() => PrincipalKind, { description: 'Whether the caller is a signed-in user or an API key.' })
  principalKind!: PrincipalKind;

  @Field(() => UserType, { nullable: true, description: 'The signed-in user; null for an API key.' })
  user!: UserType | null;

  @Field(() => [WorkspaceMembershipType], {
    description:
      "A user's workspaces, oldest membership first, each with the user's role; for an API key, its one " +
      'workspace with the role the key acts with.',
  })
  workspaces!: WorkspaceMembershipType[];
}
