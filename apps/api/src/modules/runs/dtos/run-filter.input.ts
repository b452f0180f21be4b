import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { RunStatus, RunTrigger } from '../../../infrastructure/prisma/prisma-client.js';
import './run-enums.js';

/** Every field narrows the list; absent fields do not. Lists match any of their values. */
@InputType({ description: '`runs` filters; every given field must hold (AND), a list matches any of its values (OR).' })
export class RunFilterInput {
  @Field(() => ID, { nullable: true, description: "Only this agent's runs." })
  agentId?: string | null;

  @Field(() => Int, { nullable: true, description: "Only runs of this version number of `agentId`'s agent (needs `agentId`)." })
  version?: number | null;

  @Field(() => [RunStatus], { nullable: true, description: 'Only runs in one of these statuses.' })
  statuses?: RunStatus[] | null;

  @Field(() => [RunTrigger], { nullable: true, description: 'Only runs started by one of these triggers.' })
  triggers?: RunTrigger[] | null;

  @Field(() => ID, { nullable: true, description: 'Only the runs this schedule started.' })
  scheduleId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only runs started at or after this instant.' })
  startedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only runs started before this instant.' })
  startedBefore?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "Only runs whose input, as JSON text, contains this text (any letter case; 1–200 characters). Searches the newest 10,000 matching runs.",
  })
  inputContains?: string | null;
}
