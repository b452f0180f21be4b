import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../identity/access/access-declaration.js';
import { AuditEventConnectionType } from './dtos/audit-event.type.js';
import { AuditEventsService } from './services/audit-events.service.js';

/** The audit log of the caller's workspace, for admins and owners. */
@Resolver()
export class AuditEventsResolver {
  constructor(private readonly events: AuditEventsService) {}

  @RequirePermission('audit:read')
  @Query(() => AuditEventConnectionType, {
    description: "The workspace's audit events, newest first, matching every filter given (ADMIN and above).",
  })
  auditEvents(
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–500; default 100.' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: "The previous page's `pageInfo.endCursor`." }) after: string | null,
    @Args('action', { type: () => String, nullable: true, description: 'Only this action, such as `run.start`.' }) action: string | null,
    @Args('actorId', { type: () => String, nullable: true, description: "Only this actor's events." }) actorId: string | null,
    @Args('targetId', { type: () => ID, nullable: true, description: 'Only events about this record.' }) targetId: string | null,
    @Args('since', { type: () => Date, nullable: true, description: 'Events at or after this time.' }) since: Date | null,
    @Args('until', { type: () => Date, nullable: true, description: 'Events before this time.' }) until: Date | null,
  ): Promise<AuditEventConnectionType> {
    return this.events.page({ first, after, action, actorId, targetId, since, until });
  }
}
