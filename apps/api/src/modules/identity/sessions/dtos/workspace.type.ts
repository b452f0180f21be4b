import { Field, ID, ObjectType } from '@nestjs/graphql';

/** A workspace as its members see it in `me`. */
@ObjectType('Workspace', {
  description: 'A tenant: agents, runs, schedules, members and API keys belong to exactly one workspace.',
})
export class WorkspaceType {
  @Field(() => ID, { description: "The workspace's id, sent as the `Trellis-Workspace` header to act in it." })
  id!: string;

  @Field(() => String, { description: "The workspace's name." })
  name!: string;

  @Field(() => Date, { description: 'When the workspace was created.' })
  createdAt!: Date;
}
