import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { RunStatus, RunTrigger } from './run-enums.js';

/**
 * `agent`, `agentVersion`, `error`, `nodes` and the links to other runs (`parentRun`, `retryOf`,
 * `childRuns`) are resolved by `RunsResolver` from the stored row, `schedule` and `scheduleId` by
 * `RunScheduleResolver`.
 */
@ObjectType('Run', { description: 'One execution of an agent version.' })
export class RunType {
  @Field(() => ID, { description: "The run's id." })
  id!: string;

  @Field(() => RunStatus, { description: 'How far the run got.' })
  status!: RunStatus;

  @Field(() => GraphQLJSON, { description: "The run's input; `{}` when none was given." })
  input!: unknown;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      "The DAG's `output` expression evaluated at the end (by default, the outputs of the succeeded nodes without " +
      'outgoing edges, by node id); null unless the run SUCCEEDED.',
  })
  output!: unknown;

  @Field(() => RunTrigger, { description: 'What started the run.' })
  trigger!: RunTrigger;

  @Field(() => String, {
    nullable: true,
    description: 'The idempotency key given to `startRun` or the webhook call, unique per agent; null when none was given.',
  })
  idempotencyKey!: string | null;

  @Field(() => Date, { description: 'When the run started.' })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the run ended; null while it is RUNNING or WAITING.' })
  finishedAt!: Date | null;
}
