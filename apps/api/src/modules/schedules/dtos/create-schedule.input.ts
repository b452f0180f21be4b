import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ScheduleOverlapPolicy } from './schedule-overlap-policy.enum.js';

@InputType({ description: 'A schedule to create with `createSchedule`: exactly one of `cron` and `interval`.' })
export class CreateScheduleInput {
  @Field(() => ID, { description: 'The agent the schedule runs.' })
  agentId!: string;

  @Field(() => Int, {
    nullable: true,
    description: "A version number to pin; absent runs the agent's live version at each fire.",
  })
  version?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'A standard 5-field cron expression (`minute hour day-of-month month day-of-week`), in `timezone`.',
  })
  cron?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The time between fires, a duration string of whole seconds, at least `"1s"`: `"30s"`, `"5m"`, `"1h"`.',
  })
  interval?: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone of `cron`, such as `Europe/Paris`; default `UTC`.' })
  timezone?: string | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "Input of every run, checked against the version's `inputSchema`; default `{}`.",
  })
  input?: unknown;

  @Field(() => ScheduleOverlapPolicy, {
    nullable: true,
    description: 'What a fire does while the previous run is still going; default SKIP.',
  })
  overlapPolicy?: ScheduleOverlapPolicy | null;

  @Field(() => String, {
    nullable: true,
    description:
      'How late a fire missed while Temporal was down may still happen, a duration string of at least `"10s"`; ' +
      'default one year.',
  })
  catchupWindow?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'True creates it paused; default false.' })
  paused?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it is paused, or any remark; up to 1,000 characters after trimming (blank stores none).',
  })
  note?: string | null;
}
