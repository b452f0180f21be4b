import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Run } from '../../infrastructure/prisma/prisma-client.js';
import { NodeRunType } from './dtos/node-run.type.js';
import { RunType } from './dtos/run.type.js';
import { RunsService } from './services/runs.service.js';

/** Links from a node of a run to other runs. */
@Resolver(() => NodeRunType)
export class NodeRunsResolver {
  constructor(private readonly runsService: RunsService) {}

  @ResolveField(() => RunType, { nullable: true, description: 'The run this `subflow` node started.' })
  childRun(@Parent() node: NodeRunType): Promise<Run | null> {
    return this.runsService.findLinked(node.childRunId);
  }
}
