import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('NodeAttempt', { description: "One attempt of a node's activity, from its run events." })
export class NodeAttemptType {
  @Field(() => Int, { description: 'The attempt number, from 1.' })
  attempt!: number;

  @Field(() => Date, { description: 'When the attempt started.' })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it ended (failed or succeeded); null while it runs.' })
  finishedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The attempt's error; null for an attempt that succeeded or still runs." })
  error!: string | null;
}
