import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AgentVersionType } from './agent-version.type.js';

/** A named agent; `liveVersion` and `versions` are resolved by `AgentsResolver`. */
@ObjectType('Agent')
export class AgentType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  /** The version `startRun` uses when no version is given. */
  @Field(() => AgentVersionType, { nullable: true })
  liveVersion?: AgentVersionType | null;

  /** All versions, oldest first. */
  @Field(() => [AgentVersionType])
  versions?: AgentVersionType[];

  @Field(() => Date)
  createdAt!: Date;

  /** Not exposed: used to resolve `liveVersion`. */
  liveVersionId?: string | null;
}
