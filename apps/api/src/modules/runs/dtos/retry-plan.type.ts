import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('RetryPlanNode', { description: 'What a retry would do with one node of the DAG.' })
export class RetryPlanNodeType {
  @Field(() => String, { description: "The node's id." })
  nodeId!: string;

  @Field(() => String, { description: "The node's type." })
  type!: string;

  @Field(() => Boolean, { description: 'True when the new run takes the recorded output instead of running the node.' })
  reused!: boolean;

  @Field(() => Boolean, { description: 'True when the node runs again and reaches outside Trellis (`http`, `llm`, `agent`, `code`).' })
  sideEffects!: boolean;
}
