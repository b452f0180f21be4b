import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

@ObjectType('AgentVersion', { description: "An immutable snapshot of an agent's DAG." })
export class AgentVersionType {
  @Field(() => ID, { description: "The version's id." })
  id!: string;

  @Field(() => Int, { description: '1, 2, 3… per agent, in publication order.' })
  version!: number;

  @Field(() => GraphQLJSON, { description: 'The validated DAG, defaults applied.' })
  dag!: unknown;

  @Field(() => Date, { description: 'When the version was published.' })
  createdAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'Who published it, as named then: the user\'s email or `API key <name>`; null for versions published before this was recorded.',
  })
  publishedBy!: string | null;
}
