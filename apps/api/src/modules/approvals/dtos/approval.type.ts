import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ApprovalStatus } from './approval-status.enum.js';

/** `run`, `requestedAt`, `closedReason` and `decisionUrl` are resolved by `ApprovalsResolver`. */
@ObjectType('Approval', {
  description: "A person's decision requested by an `approval` node or by an `agent` node's guarded tool call.",
})
export class ApprovalType {
  @Field(() => ID, { description: "The approval's id." })
  id!: string;

  @Field(() => String, {
    description: "The node waiting for this decision (an `approval` node, or an `agent` node's guarded tool call).",
  })
  nodeId!: string;

  @Field(() => ApprovalStatus, { description: 'Whether and how it was decided.' })
  status!: ApprovalStatus;

  @Field(() => String, { description: "What the approver is asked, rendered from the node's config." })
  message!: string;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      "Extra facts for the approver, such as `{ tool, arguments }` for an `agent` node's tool call; " +
      'null when there are none.',
  })
  details!: unknown;

  @Field(() => String, { nullable: true, description: "The approver's comment; null when none was given." })
  comment!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the approval times out; null when it waits indefinitely.' })
  dueAt!: Date | null;

  @Field(() => [String], { description: 'Who should decide (free-form identities); empty when anyone may.' })
  assignees!: string[];

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'JSON Schema of the fields the approver fills in (`values`); null when the approval has no form.',
  })
  form!: unknown;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'The fields the approver filled in, valid against `form`; null without a form or until a person decides.',
  })
  values!: unknown;

  @Field(() => String, {
    nullable: true,
    description: 'Who decided (free-form identity); null when the decision did not say, or nobody decided.',
  })
  decidedBy!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the escalation notification is due if the approval is still pending; null without one.',
  })
  escalateAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the escalation notification was sent; null until then (it is sent at most once).',
  })
  escalatedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was decided or timed out; null while PENDING.' })
  decidedAt!: Date | null;

  @Field(() => Date, { description: 'When the approval was stored, the same instant as `requestedAt`.' })
  createdAt!: Date;
}
