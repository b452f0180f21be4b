import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ScheduleOverlapPolicy } from './schedule-overlap-policy.enum.js';

/**
 * A cron or interval trigger of an agent, stored in Postgres and run by a Temporal Schedule.
 * `agent`, `nextFireTimes` and `recentActions` are resolved by `SchedulesResolver`.
 */
@ObjectType('Schedule')
export class ScheduleType {
  @Field(() => ID)
  id!: string;

  /** The pinned version number; null runs the agent's live version. */
  @Field(() => Int, { nullable: true })
  version!: number | null;

  @Field(() => String, { nullable: true })
  cron!: string | null;

  @Field(() => String, { nullable: true })
  interval!: string | null;

  @Field(() => String)
  timezone!: string;

  @Field(() => GraphQLJSON)
  input!: unknown;

  @Field(() => ScheduleOverlapPolicy)
  overlapPolicy!: ScheduleOverlapPolicy;

  /** Null: Temporal's default (one year). */
  @Field(() => String, { nullable: true })
  catchupWindow!: string | null;

  @Field(() => Boolean)
  paused!: boolean;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  /** Not exposed: used to resolve `agent`. */
  agentId!: string;
}

/** One action Temporal took for a schedule: a run it started (by a fire, `triggerSchedule` or a backfill). */
@ObjectType('ScheduleAction')
export class ScheduleActionType {
  /** The time the fire was for (a backfill's are in the past). */
  @Field(() => Date)
  scheduledAt!: Date;

  /** When Temporal started the run. */
  @Field(() => Date)
  takenAt!: Date;

  /** The run's Temporal workflow id, `trellis-schedule-<id>-<scheduled time>`. */
  @Field(() => String)
  workflowId!: string;
}
