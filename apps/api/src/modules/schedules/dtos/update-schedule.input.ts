import { InputType, OmitType, PartialType } from '@nestjs/graphql';
import { CreateScheduleInput } from './create-schedule.input.js';

/**
 * Arguments of `updateSchedule`: the timing, version, input and policy fields of
 * {@link CreateScheduleInput}, all optional; absent fields keep their value. Giving `cron` or `interval`
 * (either) sets the timing anew, so `{ interval: "1m" }` turns a cron schedule into an interval one.
 * `version: null` unpins the version (the live one runs); `catchupWindow: null` restores the default.
 * Pausing has its own mutations, and the agent cannot change.
 */
@InputType()
export class UpdateScheduleInput extends PartialType(OmitType(CreateScheduleInput, ['agentId', 'paused', 'note'] as const, InputType)) {}
