import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { RunStatus, RunTrigger } from './run-enums.js';

/**
 * One execution of an agent version. `agent`, `agentVersion`, `error`, `nodes` and the links to other
 * runs (`parentRun`, `retryOf`, `childRuns`) are resolved by `RunsResolver` from the stored row.
 */
@ObjectType('Run')
export class RunType {
  @Field(() => ID)
  id!: string;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => GraphQLJSON)
  input!: unknown;

  /** The DAG's `output` expression evaluated at the end; null until the run succeeds. */
  @Field(() => GraphQLJSON, { nullable: true })
  output!: unknown;

  @Field(() => RunTrigger)
  trigger!: RunTrigger;

  /** The key given to `startRun`, if any; unique per agent. */
  @Field(() => String, { nullable: true })
  idempotencyKey!: string | null;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}
