import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { SessionsModule } from '../identity/sessions/sessions.module.js';
import { InvitationsService } from './services/invitations.service.js';
import { MembersService } from './services/members.service.js';
import { WorkspaceDeletionService } from './services/workspace-deletion.service.js';
import { WorkspacesService } from './services/workspaces.service.js';
import { WorkspacesResolver } from './workspaces.resolver.js';

/** Workspaces, their members and invitations. */
@Module({
  imports: [SessionsModule, ApiKeysModule],
  providers: [WorkspacesResolver, WorkspacesService, WorkspaceDeletionService, MembersService, InvitationsService],
})
export class WorkspacesModule {}
