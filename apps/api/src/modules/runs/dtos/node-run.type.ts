import { Field, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ErrorInfoType } from '../../../common/graphql/error-info.type.js';
import { CompensationType } from './compensation.type.js';
import { NodeStatus } from './run-enums.js';

/** One node of a run's DAG and how far it got. `childRun` is resolved by `NodeRunsResolver` from `childRunId`. */
@ObjectType('NodeRun')
export class NodeRunType {
  /** The node's id in the DAG. */
  @Field(() => String)
  nodeId!: string;

  /** The node's type (`http`, `llm`, `set`, `approval`, `delay`, …). */
  @Field(() => String)
  type!: string;

  @Field(() => NodeStatus)
  status!: NodeStatus;

  /** Activity attempts made so far; 0 before the node starts. */
  @Field(() => Int)
  attempts!: number;

  @Field(() => GraphQLJSON, { nullable: true })
  output!: unknown;

  @Field(() => ErrorInfoType, { nullable: true })
  error!: ErrorInfoType | null;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  /** True when `retryRun` handed this node's output over from the earlier run instead of executing it. */
  @Field(() => Boolean)
  reused!: boolean;

  /** The outcome of the node's `compensate` action, once it ran (after the run failed). */
  @Field(() => CompensationType, { nullable: true })
  compensation!: CompensationType | null;

  /** The run a `subflow` node started; not a GraphQL field (see `childRun`). */
  childRunId!: string | null;
}
