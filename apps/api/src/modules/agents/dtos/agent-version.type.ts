import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

/** An immutable snapshot of an agent's DAG. */
@ObjectType('AgentVersion')
export class AgentVersionType {
  @Field(() => ID)
  id!: string;

  /** 1, 2, 3… per agent, in publication order. */
  @Field(() => Int)
  version!: number;

  /** The validated DAG, defaults applied. */
  @Field(() => GraphQLJSON)
  dag!: unknown;

  @Field(() => Date)
  createdAt!: Date;
}
