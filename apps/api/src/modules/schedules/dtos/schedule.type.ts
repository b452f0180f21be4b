import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ScheduleOverlapPolicy } from './schedule-overlap-policy.enum.js';

/** `agent`, `nextFireTimes` and `recentActions` are resolved by `SchedulesResolver`. */
@ObjectType('Schedule', {
  description: 'A cron or interval trigger of an agent, stored in Postgres and run by a Temporal Schedule.',
})
export class ScheduleType {
  @Field(() => ID, { description: "The schedule's id; its Temporal Schedule is `trellis-schedule-<id>`." })
  id!: string;

  @Field(() => Int, { nullable: true, description: "The pinned version number; null runs the agent's live version." })
  version!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The 5-field cron expression, in `timezone`, with single spaces between fields; null for an interval schedule.',
  })
  cron!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The time between fires, a duration string such as `"30s"`; null for a cron schedule.',
  })
  interval!: string | null;

  @Field(() => String, { description: 'IANA time zone of `cron`, such as `UTC` or `Europe/Paris`.' })
  timezone!: string;

  @Field(() => GraphQLJSON, { description: 'Input of every run the schedule starts.' })
  input!: unknown;

  @Field(() => ScheduleOverlapPolicy, { description: 'What a fire does while the previous run is still going.' })
  overlapPolicy!: ScheduleOverlapPolicy;

  @Field(() => String, {
    nullable: true,
    description:
      'How late a fire missed while Temporal was down may still happen, a duration string; ' +
      "null means Temporal's default (one year).",
  })
  catchupWindow!: string | null;

  @Field(() => Boolean, { description: 'True while the schedule does not fire (`pauseSchedule`).' })
  paused!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Why it is paused, or any remark, as last set by `createSchedule`, `pauseSchedule` or `unpauseSchedule`; ' +
      'null when none.',
  })
  note!: string | null;

  @Field(() => Date, { description: 'When the schedule was created.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'When the schedule was last changed, pausing included.' })
  updatedAt!: Date;

  /** Not exposed: used to resolve `agent`. */
  agentId!: string;
}

/** `run` is resolved by `ScheduleActionResolver`. */
@ObjectType('ScheduleAction', {
  description: 'One action Temporal took for a schedule: a run it started (by a fire, `triggerSchedule` or a backfill).',
})
export class ScheduleActionType {
  @Field(() => Date, { description: "The time the fire was for (a backfill's are in the past)." })
  scheduledAt!: Date;

  @Field(() => Date, { description: 'When Temporal started the run.' })
  takenAt!: Date;

  @Field(() => String, { description: "The run's Temporal workflow id, `trellis-schedule-<id>-<scheduled time>`." })
  workflowId!: string;
}
