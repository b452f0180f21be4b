import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

/** One stored run event (`run_events`), as streamed by the `runEvents` subscription. */
@ObjectType('RunEvent', {
  description:
    'Something that happened in a run: run.started|succeeded|failed|cancelled, node.started|succeeded|failed|skipped|retrying, ' +
    'approval.requested|decided. Numbered 1, 2, 3… per run without gaps.',
})
export class RunEventType {
  @Field(() => ID, { description: 'The run the event happened in.' })
  runId!: string;

  @Field(() => Int, { description: 'Position in the run, from 1, without gaps.' })
  sequence!: number;

  @Field(() => String, { description: 'Such as `node.succeeded`.' })
  type!: string;

  @Field(() => String, { nullable: true, description: 'The node concerned, on node.* and approval.* events.' })
  nodeId!: string | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Small facts: status, attempts, attempt, error, errorType, approvalId, decidedBy… (never outputs).',
  })
  data!: unknown;

  @Field(() => Date, { description: 'When the event was recorded (database clock).' })
  createdAt!: Date;
}
