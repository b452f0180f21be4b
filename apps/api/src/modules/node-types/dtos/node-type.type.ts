import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

/** Who runs a node of a type. */
export enum NodeTypeKind {
  WORKFLOW = 'WORKFLOW',
  CONNECTOR = 'CONNECTOR',
}

registerEnumType(NodeTypeKind, {
  name: 'NodeTypeKind',
  description: 'Who runs a node of a type.',
  valuesMap: {
    WORKFLOW: { description: 'The workflow itself interprets the node (set, approval, delay, forEach, subflow, agent).' },
    CONNECTOR: { description: 'An activity runs the node on a worker, with retries and timeouts.' },
  },
});

@ObjectType('NodeType', { description: 'A node type a DAG may use, as the validator knows it.' })
export class NodeTypeType {
  @Field(() => String, { description: 'The value of a node\'s `type`.' })
  type!: string;

  @Field(() => NodeTypeKind, { description: 'Whether the workflow or an activity runs it.' })
  kind!: NodeTypeKind;

  @Field(() => String, { description: 'What a node of this type does.' })
  description!: string;

  @Field(() => GraphQLJSON, { description: "JSON Schema (draft 2020-12) of the node's `config` as written, before defaults apply." })
  configJsonSchema!: Record<string, unknown>;

  @Field(() => [String], { description: 'Config fields passed through as written instead of rendered as templates.' })
  unrenderedFields!: string[];

  @Field(() => Boolean, { description: 'Whether the type can be a `compensate` action (connectors only).' })
  canCompensate!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the type may not be in a `forEach` body; null when it may.' })
  notInLoopBody!: string | null;
}
