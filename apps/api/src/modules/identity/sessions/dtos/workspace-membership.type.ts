import { Field, ObjectType } from '@nestjs/graphql';
import { WorkspaceRole } from '../../dtos/workspace-role.enum.js';
import { WorkspaceType } from './workspace.type.js';

/** A workspace the caller may act in, with the caller's role there. */
@ObjectType('WorkspaceMembership', { description: 'A workspace the caller may act in, and the role it acts with there.' })
export class WorkspaceMembershipType {
  @Field(() => WorkspaceType, { description: 'The workspace.' })
  workspace!: WorkspaceType;

  @Field(() => WorkspaceRole, { description: "The caller's role in the workspace." })
  role!: WorkspaceRole;
}
