import { ID, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Run, Schedule } from '../../infrastructure/prisma/prisma-client.js';
import { RunType } from '../runs/dtos/run.type.js';
import { ScheduleActionType, ScheduleType } from './dtos/schedule.type.js';
import { ScheduleQueriesService } from './services/schedule-queries.service.js';

/** `Run.schedule` / `Run.scheduleId`: the schedule that started a run (trigger SCHEDULE). */
@Resolver(() => RunType)
export class RunScheduleResolver {
  constructor(private readonly schedules: ScheduleQueriesService) {}

  @ResolveField(() => ID, { nullable: true, description: 'The schedule that started this run, even once deleted.' })
  scheduleId(@Parent() run: Run): string | null {
    return run.scheduleId;
  }

  @ResolveField(() => ScheduleType, { nullable: true, description: 'The schedule that started this run, if it still exists.' })
  schedule(@Parent() run: Run): Promise<Schedule | null> {
    return this.schedules.findLinked(run.scheduleId);
  }
}

/** `ScheduleAction.run`: the run an action started, once the worker has recorded it. */
@Resolver(() => ScheduleActionType)
export class ScheduleActionResolver {
  constructor(private readonly schedules: ScheduleQueriesService) {}

  @ResolveField(() => RunType, { nullable: true, description: 'Null until the worker records the run (moments after).' })
  run(@Parent() action: ScheduleActionType): Promise<Run | null> {
    return this.schedules.runForWorkflow(action.workflowId);
  }
}
