import { Field, InputType, Int } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ScheduleOverlapPolicy } from './schedule-overlap-policy.enum.js';

/**
 * Written out rather than mapped from `CreateScheduleInput` with `PartialType`, which would copy its
 * field descriptions: here an absent field keeps its value and null resets some, where creating applies
 * defaults.
 */
@InputType({
  description:
    'Changes to a schedule for `updateSchedule`; absent fields keep their value. Pausing has its own mutations, ' +
    'and the agent cannot change.',
})
export class UpdateScheduleInput {
  @Field(() => Int, {
    nullable: true,
    description: "A version number to pin; null unpins it (the agent's live version runs at each fire).",
  })
  version?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A new 5-field cron expression, in `timezone`. Giving `cron` or `interval` (exactly one) replaces the timing, ' +
      'so `{ cron: "0 * * * *" }` turns an interval schedule into a cron one.',
  })
  cron?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A new time between fires, a duration string of whole seconds, at least `"1s"`. Giving `cron` or `interval` ' +
      '(exactly one) replaces the timing, so `{ interval: "1m" }` turns a cron schedule into an interval one.',
  })
  interval?: string | null;

  @Field(() => String, { nullable: true, description: 'A new IANA time zone of `cron`; null keeps the current one.' })
  timezone?: string | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "New input of every run, checked against the version's `inputSchema`; null sets `{}`.",
  })
  input?: unknown;

  @Field(() => ScheduleOverlapPolicy, { nullable: true, description: 'A new overlap policy; null keeps the current one.' })
  overlapPolicy?: ScheduleOverlapPolicy | null;

  @Field(() => String, {
    nullable: true,
    description: 'A new catch-up window, a duration string of at least `"10s"`; null restores the default (one year).',
  })
  catchupWindow?: string | null;
}
