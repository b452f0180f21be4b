import { Field, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ErrorInfoType } from '../../../common/graphql/error-info.type.js';
import { CompensationType } from './compensation.type.js';
import { NodeStatus } from './run-enums.js';

/** `childRun` is resolved by `NodeRunsResolver` from `childRunId`. */
@ObjectType('NodeRun', { description: "One node of a run's DAG and how far it got." })
export class NodeRunType {
  @Field(() => String, { description: "The node's id in the DAG." })
  nodeId!: string;

  @Field(() => String, { description: "The node's type (`http`, `llm`, `set`, `approval`, `delay`, …)." })
  type!: string;

  @Field(() => NodeStatus, { description: 'How far the node got.' })
  status!: NodeStatus;

  @Field(() => Int, { description: 'Activity attempts made so far; 0 before the node starts.' })
  attempts!: number;

  @Field(() => GraphQLJSON, { nullable: true, description: "The node's result; null unless it SUCCEEDED." })
  output!: unknown;

  @Field(() => ErrorInfoType, { nullable: true, description: 'What went wrong; null unless it FAILED.' })
  error!: ErrorInfoType | null;

  @Field(() => Date, { nullable: true, description: 'When the node started; null until then and for SKIPPED nodes.' })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the node succeeded, failed or was skipped; null until then.' })
  finishedAt!: Date | null;

  @Field(() => Boolean, {
    description: "True when `retryRun` handed this node's output over from the earlier run instead of executing it.",
  })
  reused!: boolean;

  @Field(() => CompensationType, {
    nullable: true,
    description: "The outcome of the node's `compensate` action once it ran (after the run failed); null until then.",
  })
  compensation!: CompensationType | null;

  /** The run a `subflow` node started; not a GraphQL field (see `childRun`). */
  childRunId!: string | null;

  /** The run this node belongs to; not a GraphQL field (`attemptHistory` reads its events). */
  runId!: string;
}
