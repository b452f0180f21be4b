import { Field, ID, ObjectType } from '@nestjs/graphql';
import { WorkspaceRole } from '../../identity/dtos/workspace-role.enum.js';

@ObjectType('Invitation', { description: 'An offer to join the workspace with a role, redeemed once with its token.' })
export class InvitationType {
  @Field(() => ID, { description: "The invitation's id." })
  id!: string;

  @Field(() => String, { description: 'The address invited, as typed; only an account with this address can accept.' })
  email!: string;

  @Field(() => WorkspaceRole, { description: 'The role the new member gets.' })
  role!: WorkspaceRole;

  @Field(() => Date, { description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'After this it can no longer be accepted (7 days after creation).' })
  expiresAt!: Date;
}

@ObjectType('CreatedInvitation', { description: 'A new invitation with its one-time token, shown only now.' })
export class CreatedInvitationType {
  @Field(() => InvitationType, { description: 'The invitation.' })
  invitation!: InvitationType;

  @Field(() => String, { description: 'The token `acceptInvitation` takes. Not stored (only its SHA-256 is): send it to the invitee now.' })
  token!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The link to send, `<TRELLIS_PUBLIC_URL>/invitations/accept?token=…`; null when TRELLIS_PUBLIC_URL is not set.',
  })
  url!: string | null;
}
