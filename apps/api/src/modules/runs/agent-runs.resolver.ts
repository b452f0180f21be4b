import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { assertIntInRange } from '../../common/validation/argument-guards.js';
import type { Run } from '../../infrastructure/prisma/prisma-client.js';
import { AgentType } from '../agents/dtos/agent.type.js';
import { RunStatsType } from './dtos/run-stats.type.js';
import { RunType } from './dtos/run.type.js';
import { RunsService } from './services/runs.service.js';

/** Longest stats window (hours): 30 days. */
const MAX_STATS_HOURS = 720;

/** `Agent.lastRun` and `Agent.runStats`: how an agent has been doing, for lists of agents. */
@Resolver(() => AgentType)
export class AgentRunsResolver {
  constructor(private readonly runsService: RunsService) {}

  @ResolveField(() => RunType, { nullable: true, description: 'The most recently started run; null before the first.' })
  lastRun(@Parent() agent: AgentType): Promise<Run | null> {
    return this.runsService.lastRunOf(agent.id);
  }

  @ResolveField(() => RunStatsType, { description: 'Runs started in the last `hours` hours, by outcome.' })
  runStats(
    @Parent() agent: AgentType,
    @Args('hours', { type: () => Int, defaultValue: 24, description: `The window, in hours back from now, 1–${MAX_STATS_HOURS}.` }) hours: number,
  ): Promise<RunStatsType> {
    assertIntInRange(hours, 'hours', 1, MAX_STATS_HOURS);
    return this.runsService.statsOf(agent.id, new Date(Date.now() - hours * 3_600_000));
  }
}
