import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ApprovalStatus } from './approval-status.enum.js';

/** A person's decision requested by an `approval` node; `run` is resolved by `ApprovalsResolver`. */
@ObjectType('Approval')
export class ApprovalType {
  @Field(() => ID)
  id!: string;

  /** The node waiting for this decision (an `approval` node, or an `agent` node's guarded tool call). */
  @Field(() => String)
  nodeId!: string;

  @Field(() => ApprovalStatus)
  status!: ApprovalStatus;

  /** What the approver is asked, rendered from the node's config. */
  @Field(() => String)
  message!: string;

  /** Extra facts for the approver, such as `{ tool, arguments }` for an `agent` node's tool call. */
  @Field(() => GraphQLJSON, { nullable: true })
  details!: unknown;

  /** The approver's comment, if any. */
  @Field(() => String, { nullable: true })
  comment!: string | null;

  /** When the approval times out; null when it waits indefinitely. */
  @Field(() => Date, { nullable: true })
  dueAt!: Date | null;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;
}
