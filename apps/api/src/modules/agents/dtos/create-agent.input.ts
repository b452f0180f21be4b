import { Field, InputType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

/** Arguments of `createAgent`. */
@InputType()
export class CreateAgentInput {
  /** Unique across agents; 1–200 characters after trimming. */
  @Field(() => String)
  name!: string;

  /** Up to 2,000 characters. */
  @Field(() => String, { nullable: true })
  description?: string | null;

  /** The DAG of version 1 (see the DAG format v1). */
  @Field(() => GraphQLJSON)
  dag!: unknown;
}
