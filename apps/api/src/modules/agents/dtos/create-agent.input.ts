import { Field, InputType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

@InputType({ description: 'An agent to create with `createAgent`.' })
export class CreateAgentInput {
  @Field(() => String, { description: 'Unique across agents; 1–200 characters after trimming.' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Up to 2,000 characters after trimming; blank or absent stores no description.',
  })
  description?: string | null;

  @Field(() => GraphQLJSON, {
    description: 'The DAG of version 1 (DAG format v1); it is validated and its defaults applied.',
  })
  dag!: unknown;
}
