import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ApprovalStatus } from './approval-status.enum.js';

/**
 * A person's decision requested by an `approval` node. `run`, `requestedAt`, `closedReason` and
 * `decisionUrl` are resolved by `ApprovalsResolver`.
 */
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

  /** Who should decide (free-form identities); empty when anyone may. */
  @Field(() => [String])
  assignees!: string[];

  /** JSON Schema of the fields the approver fills in (`values`), or null. */
  @Field(() => GraphQLJSON, { nullable: true })
  form!: unknown;

  /** The fields the approver filled in, valid against `form`; null without a form or before the decision. */
  @Field(() => GraphQLJSON, { nullable: true })
  values!: unknown;

  /** Who decided (free-form identity), when the decision said so. */
  @Field(() => String, { nullable: true })
  decidedBy!: string | null;

  /** When the escalation notification is due if the approval is still pending; null without one. */
  @Field(() => Date, { nullable: true })
  escalateAt!: Date | null;

  /** When the escalation notification was sent; null until then (it is sent at most once). */
  @Field(() => Date, { nullable: true })
  escalatedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;
}
