import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { RunScheduleResolver, ScheduleActionResolver } from './schedule-links.resolver.js';
import { SchedulesResolver } from './schedules.resolver.js';
import { ScheduleReconcilerService } from './services/schedule-reconciler.service.js';
import { SchedulesService } from './services/schedules.service.js';
import { TemporalSchedulesService } from './services/temporal-schedules.service.js';

/**
 * Schedules on Temporal Schedules, with Postgres as the source of truth: GraphQL, the writes, `Run.schedule`,
 * and the reconciliation that runs at startup and every few minutes.
 */
@Module({
  imports: [AgentsModule],
  providers: [
    SchedulesResolver,
    RunScheduleResolver,
    ScheduleActionResolver,
    SchedulesService,
    TemporalSchedulesService,
    ScheduleReconcilerService,
  ],
})
export class SchedulesModule {}
