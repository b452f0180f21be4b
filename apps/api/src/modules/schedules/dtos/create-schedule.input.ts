import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ScheduleOverlapPolicy } from './schedule-overlap-policy.enum.js';

/** Arguments of `createSchedule`. Exactly one of `cron` and `interval`. */
@InputType()
export class CreateScheduleInput {
  @Field(() => ID)
  agentId!: string;

  /** A version number to pin; absent runs the agent's live version at each fire. */
  @Field(() => Int, { nullable: true })
  version?: number | null;

  /** A standard 5-field cron expression (`minute hour day-of-month month day-of-week`), in `timezone`. */
  @Field(() => String, { nullable: true })
  cron?: string | null;

  /** A duration string of whole seconds, at least `"1s"`: `"30s"`, `"5m"`, `"1h"`. */
  @Field(() => String, { nullable: true })
  interval?: string | null;

  /** IANA time zone of `cron`, such as `Europe/Paris`; default `UTC`. */
  @Field(() => String, { nullable: true })
  timezone?: string | null;

  /** Input of every run, checked against the version's `inputSchema`; default `{}`. */
  @Field(() => GraphQLJSON, { nullable: true })
  input?: unknown;

  /** Default SKIP. */
  @Field(() => ScheduleOverlapPolicy, { nullable: true })
  overlapPolicy?: ScheduleOverlapPolicy | null;

  /** How late a fire missed while Temporal was down may still happen, at least `"10s"`; default one year. */
  @Field(() => String, { nullable: true })
  catchupWindow?: string | null;

  /** Create it paused; default false. */
  @Field(() => Boolean, { nullable: true })
  paused?: boolean | null;

  /** Why it is paused, or any remark; up to 1,000 characters. */
  @Field(() => String, { nullable: true })
  note?: string | null;
}
