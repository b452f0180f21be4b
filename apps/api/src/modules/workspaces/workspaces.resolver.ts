import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { TrellisException } from '../../common/exceptions/trellis-exception.js';
import { ApiKeyType } from '../api-keys/dtos/api-key.type.js';
import { ApiKeysService } from '../api-keys/services/api-keys.service.js';
import { Public, RequirePermission, SignedIn } from '../identity/access/access-declaration.js';
import { headerOf } from '../identity/access/credential-carrier.js';
import type { GraphqlContext } from '../identity/access/graphql-context.js';
import { PrincipalResolverService } from '../identity/access/principal-resolver.service.js';
import { currentRequestContext } from '../identity/access/request-context.js';
import { WorkspaceRole } from '../identity/dtos/workspace-role.enum.js';
import { roleAllows } from '../identity/permissions.js';
import { MeType } from '../identity/sessions/dtos/me.type.js';
import { WorkspaceType } from '../identity/sessions/dtos/workspace.type.js';
import { MeService } from '../identity/sessions/services/me.service.js';
import { httpResponseOf, SessionCookieService } from '../identity/sessions/services/session-cookie.service.js';
import { CreatedInvitationType, InvitationType } from './dtos/invitation.type.js';
import { MemberType } from './dtos/member.type.js';
import { InvitationsService } from './services/invitations.service.js';
import { MembersService } from './services/members.service.js';
import { WorkspaceDeletionService } from './services/workspace-deletion.service.js';
import { WorkspacesService } from './services/workspaces.service.js';

/** Workspaces and their members: create and rename, invite and accept, change roles, remove. */
@Resolver(() => WorkspaceType)
export class WorkspacesResolver {
  constructor(
    private readonly workspaces: WorkspacesService,
    private readonly deletion: WorkspaceDeletionService,
    private readonly memberships: MembersService,
    private readonly invitations: InvitationsService,
    private readonly keys: ApiKeysService,
    private readonly principals: PrincipalResolverService,
    private readonly cookies: SessionCookieService,
    private readonly meService: MeService,
  ) {}

  @RequirePermission('members:read')
  @Query(() => WorkspaceType, { description: 'The workspace the request acts in.' })
  workspace(): Promise<WorkspaceType> {
    return this.workspaces.current();
  }

  @SignedIn()
  @Mutation(() => WorkspaceType, { description: 'Creates a workspace with the signed-in user as its OWNER (users only, not API keys).' })
  createWorkspace(@Args('name', { description: 'The name, 1 to 100 characters.' }) name: string): Promise<WorkspaceType> {
    return this.workspaces.create(name);
  }

  @RequirePermission('workspace:manage')
  @Mutation(() => WorkspaceType, { description: 'Renames the workspace the request acts in (OWNER).' })
  renameWorkspace(@Args('name', { description: 'The new name, 1 to 100 characters.' }) name: string): Promise<WorkspaceType> {
    return this.workspaces.rename(name);
  }

  @RequirePermission('workspace:manage')
  @Mutation(() => ID, {
    description:
      'Deletes the workspace the request acts in, with its agents, runs, schedules, members and keys (OWNER): its ' +
      'Temporal Schedules are deleted and open runs terminated first. `id` must repeat its id. The audit log stays.',
  })
  deleteWorkspace(@Args('id', { type: () => ID, description: "The workspace's id, as a confirmation." }) id: string): Promise<string> {
    return this.deletion.delete(id);
  }

  @RequirePermission('members:manage')
  @Mutation(() => CreatedInvitationType, {
    description: 'Invites an email address to the workspace with a role (at most your own), returning a single-use link valid 7 days. No email is sent.',
  })
  inviteMember(
    @Args('email', { description: 'The address to invite.' }) email: string,
    @Args('role', { type: () => WorkspaceRole, description: 'The role the member gets.' }) role: WorkspaceRole,
  ): Promise<CreatedInvitationType> {
    return this.invitations.invite(email, role);
  }

  @RequirePermission('members:manage')
  @Mutation(() => ID, { description: "Withdraws a pending invitation: its link stops working at once. Returns the invitation's id." })
  revokeInvitation(@Args('id', { type: () => ID, description: "The invitation's id." }) id: string): Promise<string> {
    return this.invitations.revoke(id);
  }

  @Public('the single-use invitation token is the proof')
  @Mutation(() => MeType, {
    description:
      "Joins the invitation's workspace and signs in (session cookie). A new account is created with `password`; an " +
      'existing one gives its password, or none when already signed in as that user.',
  })
  async acceptInvitation(
    @Args('token', { description: 'The token of the invitation link.' }) token: string,
    @Args('password', { type: () => String, nullable: true, description: "The account's password (a new account's: at least 12 characters)." })
    password: string | null,
    @Context() context: GraphqlContext,
  ): Promise<MeType> {
    const response = httpResponseOf(context);
    if (!response) throw TrellisException.badUserInput('Accept invitations over HTTP: a WebSocket cannot set the session cookie', []);
    const accepted = await this.invitations.accept(token, password, await this.signedInUser(context));
    this.cookies.set(response, accepted.token);
    return this.meService.ofUser(accepted.userId);
  }

  @RequirePermission('members:manage')
  @Mutation(() => MemberType, { description: "Changes a member's role. Only an OWNER changes an OWNER or makes one; the last OWNER stays." })
  setMemberRole(
    @Args('userId', { type: () => ID, description: "The member's user id." }) userId: string,
    @Args('role', { type: () => WorkspaceRole, description: 'The new role.' }) role: WorkspaceRole,
  ): Promise<MemberType> {
    return this.memberships.setRole(userId, role);
  }

  @RequirePermission('members:manage')
  @Mutation(() => ID, { description: "Removes a member from the workspace (their account stays); returns the user's id. The last OWNER stays." })
  removeMember(@Args('userId', { type: () => ID, description: "The member's user id." }) userId: string): Promise<string> {
    return this.memberships.remove(userId);
  }

  @ResolveField(() => [MemberType], { description: 'The members, earliest first. Only for the workspace the request acts in.' })
  members(@Parent() workspace: WorkspaceType): Promise<MemberType[]> {
    assertActingIn(workspace.id);
    return this.memberships.list(workspace.id);
  }

  @ResolveField('invitations', () => [InvitationType], {
    description: 'Invitations not yet accepted and not expired, newest first (ADMIN and above, in the workspace the request acts in).',
  })
  pendingInvitations(@Parent() workspace: WorkspaceType): Promise<InvitationType[]> {
    const role = assertActingIn(workspace.id);
    if (!roleAllows(role, 'members:manage')) throw TrellisException.forbidden(`The ${role} role may not list invitations (needs members:manage)`);
    return this.invitations.listPending(workspace.id);
  }

  @ResolveField(() => [ApiKeyType], { description: "The workspace's API keys (ADMIN and above, in the workspace the request acts in)." })
  apiKeys(@Parent() workspace: WorkspaceType): Promise<ApiKeyType[]> {
    const role = assertActingIn(workspace.id);
    if (!roleAllows(role, 'apiKeys:manage')) throw TrellisException.forbidden(`The ${role} role may not list API keys (needs apiKeys:manage)`);
    return this.keys.list();
  }

  /** The user of the request's session cookie, if it has a valid one (this handler is public). */
  private async signedInUser(context: GraphqlContext): Promise<string | null> {
    const carrier = context.req;
    if (!carrier || !headerOf(carrier, 'cookie')) return null;
    try {
      const principal = await this.principals.resolve(carrier);
      return principal.kind === 'USER' ? principal.userId : null;
    } catch {
      return null;
    }
  }
}

/**
 * Field resolvers run unguarded: the request's data is scoped to its own workspace, so a `Workspace` other
 * than that one (another of `me`'s) has no members or keys to show here.
 *
 * @returns the caller's role there
 * @throws TrellisException `FORBIDDEN` for another workspace
 */
function assertActingIn(workspaceId: string) {
  const principal = currentRequestContext()?.principal;
  if (!principal || principal.workspaceId !== workspaceId || principal.role === null) {
    throw TrellisException.forbidden('Members and API keys are shown for the workspace the request acts in (Trellis-Workspace header)');
  }
  return principal.role;
}
