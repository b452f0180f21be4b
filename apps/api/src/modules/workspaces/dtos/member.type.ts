import { Field, ObjectType } from '@nestjs/graphql';
import { WorkspaceRole } from '../../identity/dtos/workspace-role.enum.js';
import { UserType } from '../../identity/sessions/dtos/user.type.js';

@ObjectType('Member', { description: "A user's membership of a workspace." })
export class MemberType {
  @Field(() => UserType, { description: 'The member.' })
  user!: UserType;

  @Field(() => WorkspaceRole, { description: "The member's role in the workspace." })
  role!: WorkspaceRole;

  @Field(() => Date, { description: 'When the user joined the workspace.' })
  joinedAt!: Date;
}
