import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DEFAULT_PREVIEW_BYTES, JsonPreviewType, MAX_PREVIEW_BYTES, previewField } from '../../common/graphql/json-preview.type.js';
import type { Run } from '../../infrastructure/prisma/prisma-client.js';
import { NodeAttemptType } from './dtos/node-attempt.type.js';
import { NodeRunType } from './dtos/node-run.type.js';
import { RunType } from './dtos/run.type.js';
import { RunsService } from './services/runs.service.js';

/** Links from a node of a run to other runs. */
@Resolver(() => NodeRunType)
export class NodeRunsResolver {
  constructor(private readonly runsService: RunsService) {}

  @ResolveField(() => [NodeAttemptType], {
    description:
      "Each attempt of the node's activity with its start, end and error, oldest first; the gaps between them are " +
      "Temporal's retry backoff. Empty before the node starts and for nodes that run no activity.",
  })
  attemptHistory(@Parent() node: NodeRunType): Promise<NodeAttemptType[]> {
    return this.runsService.attemptsOf(node.runId, node.nodeId, node.startedAt, node.finishedAt);
  }

  @ResolveField(() => JsonPreviewType, { nullable: true, description: "The start of `output`, for values too large to fetch whole; null when there is no output." })
  outputPreview(
    @Parent() node: NodeRunType,
    @Args('maxBytes', { type: () => Int, defaultValue: DEFAULT_PREVIEW_BYTES, description: `Longest preview (bytes), 1–${MAX_PREVIEW_BYTES}.` })
    maxBytes: number,
  ): JsonPreviewType | null {
    return previewField(node.output, maxBytes);
  }

  @ResolveField(() => RunType, { nullable: true, description: 'The run this `subflow` node started.' })
  childRun(@Parent() node: NodeRunType): Promise<Run | null> {
    return this.runsService.findLinked(node.childRunId);
  }
}
