import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('DagIssue', { description: 'One problem of a DAG, at the path of the value it is about.' })
export class DagIssueType {
  @Field(() => String, { description: 'Where the problem is, such as `nodes[2].config.url` or `edges[0].to`; empty for the whole DAG.' })
  path!: string;

  @Field(() => String, { description: 'What is wrong there.' })
  message!: string;
}

@ObjectType('DagValidation', { description: 'Whether a DAG would be accepted by `createAgent` and `publishAgentVersion`, and why not.' })
export class DagValidationType {
  @Field(() => Boolean, { description: 'True when the DAG has no problem.' })
  valid!: boolean;

  @Field(() => [DagIssueType], { description: 'Every problem found, in document order; empty when valid.' })
  issues!: DagIssueType[];
}
