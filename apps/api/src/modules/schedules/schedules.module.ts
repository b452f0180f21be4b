import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { RunScheduleResolver, ScheduleActionResolver } from './schedule-links.resolver.js';
import { SchedulesResolver } from './schedules.resolver.js';
import { ScheduleCommandsService } from './services/schedule-commands.service.js';
import { ScheduleQueriesService } from './services/schedule-queries.service.js';
import { ScheduleReconcilerService } from './services/schedule-reconciler.service.js';
import { ScheduleVersionFollowerService } from './services/schedule-version-follower.service.js';
import { TemporalSchedulesService } from './services/temporal-schedules.service.js';

/**
 * Schedules on Temporal Schedules, with Postgres as the source of truth: GraphQL, the reads and the writes,
 * `Run.schedule`, unpinned schedules following their agent's live version, and the reconciliation that runs
 * at startup and every few minutes.
 */
@Module({
  imports: [AgentsModule],
  providers: [
    SchedulesResolver,
    RunScheduleResolver,
    ScheduleActionResolver,
    ScheduleQueriesService,
    ScheduleCommandsService,
    ScheduleVersionFollowerService,
    TemporalSchedulesService,
    ScheduleReconcilerService,
  ],
})
export class SchedulesModule {}
