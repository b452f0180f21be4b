import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Agent, Schedule } from '../../infrastructure/prisma/prisma-client.js';
import { AgentType } from '../agents/dtos/agent.type.js';
import { AgentsService } from '../agents/services/agents.service.js';
import { CreateScheduleInput } from './dtos/create-schedule.input.js';
import { ScheduleOverlapPolicy } from './dtos/schedule-overlap-policy.enum.js';
import { ScheduleActionType, ScheduleType } from './dtos/schedule.type.js';
import { UpdateScheduleInput } from './dtos/update-schedule.input.js';
import { ScheduleCommandsService } from './services/schedule-commands.service.js';
import { ScheduleQueriesService } from './services/schedule-queries.service.js';
import { RequirePermission } from '../identity/access/access-declaration.js';
import { Audited } from '../audit/audited.decorator.js';

/** Schedules: cron and interval triggers of agents, run by Temporal Schedules. */
@Resolver(() => ScheduleType)
export class SchedulesResolver {
  constructor(
    private readonly queries: ScheduleQueriesService,
    private readonly commands: ScheduleCommandsService,
    private readonly agents: AgentsService,
  ) {}

  @RequirePermission('schedules:read')
  @Query(() => [ScheduleType], { description: "An agent's schedules, oldest first; NOT_FOUND for an unknown agent." })
  schedules(
    @Args('agentId', { type: () => ID, description: 'The agent whose schedules to list.' }) agentId: string,
  ): Promise<Schedule[]> {
    return this.queries.listForAgent(agentId);
  }

  @RequirePermission('schedules:read')
  @Query(() => ScheduleType, { description: 'One schedule; NOT_FOUND when it does not exist.' })
  schedule(@Args('id', { type: () => ID, description: "The schedule's id." }) id: string): Promise<Schedule> {
    return this.queries.getById(id);
  }

  @Audited({ action: 'schedule.create', targetType: 'schedule', targetId: (_args, schedule) => schedule.id })
  @RequirePermission('schedules:write')
  @Mutation(() => ScheduleType, {
    description: 'Creates a schedule (exactly one of `cron` and `interval`) and its Temporal Schedule.',
  })
  createSchedule(@Args('input', { description: 'The schedule to create.' }) input: CreateScheduleInput): Promise<Schedule> {
    return this.commands.create(input);
  }

  @Audited({ action: 'schedule.update', targetType: 'schedule', targetId: (args) => args.id })
  @RequirePermission('schedules:write')
  @Mutation(() => ScheduleType, { description: 'Changes a schedule; absent fields keep their value.' })
  updateSchedule(
    @Args('id', { type: () => ID, description: 'The schedule to change.' }) id: string,
    @Args('input', { description: 'The fields to change.' }) input: UpdateScheduleInput,
  ): Promise<Schedule> {
    return this.commands.update(id, input);
  }

  @Audited({ action: 'schedule.pause', targetType: 'schedule', targetId: (args) => args.id })
  @RequirePermission('schedules:write')
  @Mutation(() => ScheduleType, { description: 'Stops the schedule from firing until `unpauseSchedule`.' })
  pauseSchedule(
    @Args('id', { type: () => ID, description: 'The schedule to pause.' }) id: string,
    @Args('note', {
      type: () => String,
      nullable: true,
      description: "Why, up to 1,000 characters; it replaces the schedule's note, and absent or blank clears it.",
    })
    note: string | null,
  ): Promise<Schedule> {
    return this.commands.setPaused(id, true, note);
  }

  @Audited({ action: 'schedule.unpause', targetType: 'schedule', targetId: (args) => args.id })
  @RequirePermission('schedules:write')
  @Mutation(() => ScheduleType, { description: 'Lets a paused schedule fire again (missed fires are not taken).' })
  unpauseSchedule(
    @Args('id', { type: () => ID, description: 'The schedule to unpause.' }) id: string,
    @Args('note', {
      type: () => String,
      nullable: true,
      description: "Up to 1,000 characters; it replaces the schedule's note, and absent or blank clears it.",
    })
    note: string | null,
  ): Promise<Schedule> {
    return this.commands.setPaused(id, false, note);
  }

  @Audited({ action: 'schedule.trigger', targetType: 'schedule', targetId: (args) => args.id })
  @RequirePermission('schedules:trigger')
  @Mutation(() => ScheduleType, {
    description: "Starts one run now (asynchronously: it appears in `recentActions` and `runs` moments later).",
  })
  triggerSchedule(
    @Args('id', { type: () => ID, description: 'The schedule to fire.' }) id: string,
    @Args('overlapPolicy', {
      type: () => ScheduleOverlapPolicy,
      nullable: true,
      description: "Default: the schedule's own.",
    })
    overlapPolicy: ScheduleOverlapPolicy | null,
  ): Promise<Schedule> {
    return this.commands.trigger(id, overlapPolicy);
  }

  @Audited({ action: 'schedule.backfill', targetType: 'schedule', targetId: (args) => args.id, metadata: (args) => ({ start: args.start, end: args.end }) })
  @RequirePermission('schedules:write')
  @Mutation(() => ScheduleType, {
    description: 'Takes now every action the schedule would have taken between `start` and `end`.',
  })
  backfillSchedule(
    @Args('id', { type: () => ID, description: 'The schedule to backfill.' }) id: string,
    @Args('start', { type: () => Date, description: 'Start of the time range whose fires to take.' }) start: Date,
    @Args('end', { type: () => Date, description: 'End of the time range; must be after `start`.' }) end: Date,
    @Args('overlapPolicy', {
      type: () => ScheduleOverlapPolicy,
      nullable: true,
      description: "Default: the schedule's own. ALLOW_ALL starts every missed run at once.",
    })
    overlapPolicy: ScheduleOverlapPolicy | null,
  ): Promise<Schedule> {
    return this.commands.backfill(id, start, end, overlapPolicy);
  }

  @Audited({ action: 'schedule.delete', targetType: 'schedule', targetId: (args) => args.id })
  @RequirePermission('schedules:write')
  @Mutation(() => ID, { description: "Deletes a schedule and its Temporal Schedule; returns its id. Its runs stay." })
  deleteSchedule(@Args('id', { type: () => ID, description: 'The schedule to delete.' }) id: string): Promise<string> {
    return this.commands.delete(id);
  }

  @ResolveField(() => AgentType, { description: 'The agent the schedule runs.' })
  agent(@Parent() schedule: Schedule): Promise<Agent> {
    return this.agents.getById(schedule.agentId);
  }

  @ResolveField(() => [Date], {
    nullable: true,
    description:
      'The next (at most 5) fire times, soonest first, from Temporal; empty while paused. Null (with an error) ' +
      'when Temporal cannot be reached.',
  })
  nextFireTimes(@Parent() schedule: Schedule): Promise<Date[]> {
    return this.queries.nextFireTimes(schedule);
  }

  @ResolveField(() => [ScheduleActionType], {
    nullable: true,
    description:
      'The last (at most 5) runs Temporal started for this schedule, newest first. Null (with an error) when ' +
      'Temporal cannot be reached.',
  })
  recentActions(@Parent() schedule: Schedule): Promise<ScheduleActionType[]> {
    return this.queries.recentActions(schedule);
  }
}
