import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AgentVersionType } from './agent-version.type.js';

/**
 * `liveVersion` and `versions` are resolved by `AgentsResolver`. Declared here too, they take their
 * schema description from these `@Field`s: Nest ignores a `@ResolveField`'s for a field its type declares.
 */
@ObjectType('Agent', { description: 'A named workflow: a DAG kept as numbered, immutable versions, one of them live.' })
export class AgentType {
  @Field(() => ID, { description: "The agent's id." })
  id!: string;

  @Field(() => String, { description: 'Unique across agents; 1–200 characters.' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Free text of up to 2,000 characters; null when none (or a blank one) was given.',
  })
  description?: string | null;

  @Field(() => AgentVersionType, {
    nullable: true,
    description: 'The version runs use when none is given (`startRun`, webhooks, unpinned schedules).',
  })
  liveVersion?: AgentVersionType | null;

  @Field(() => [AgentVersionType], { description: 'All versions, oldest first.' })
  versions?: AgentVersionType[];

  @Field(() => Date, { description: 'When the agent was created.' })
  createdAt!: Date;

  /** Not exposed: used to resolve `liveVersion`. */
  liveVersionId?: string | null;
}
