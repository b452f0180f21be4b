import { Args, ID, Int, Resolver, Subscription } from '@nestjs/graphql';
import type { Run } from '../../infrastructure/prisma/prisma-client.js';
import { RunType } from '../runs/dtos/run.type.js';
import { RunEventType } from './dtos/run-event.type.js';
import { RunEventsService } from './services/run-events.service.js';
import { RequirePermission } from '../identity/access/access-declaration.js';

/** Live run events over `graphql-ws`. */
@Resolver()
export class RunEventsResolver {
  constructor(private readonly runEventsService: RunEventsService) {}

  @RequirePermission('runs:read')
  @Subscription(() => RunEventType, {
    description:
      "The run's stored events with sequence > afterSequence, then its live ones, each once and in order; " +
      'completes after run.succeeded|failed|cancelled. Reconnect with the last sequence seen to resume without gap or duplicate.',
    resolve: (event: RunEventType) => event,
  })
  runEvents(
    @Args('runId', { type: () => ID, description: 'The run to follow.' }) runId: string,
    @Args('afterSequence', {
      type: () => Int,
      defaultValue: 0,
      description: 'The last sequence number already seen; 0 streams the run from its first event.',
    })
    afterSequence: number,
  ): Promise<AsyncIterableIterator<RunEventType>> {
    return this.runEventsService.runEvents(runId, afterSequence);
  }

  @RequirePermission('runs:read')
  @Subscription(() => RunType, {
    description:
      "The agent's runs, or without `agentId` every run of the workspace, as they change status (RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED), from now on.",
    resolve: (run: Run) => run,
  })
  runUpdated(
    @Args('agentId', { type: () => ID, nullable: true, description: "The agent whose runs to follow; absent follows the workspace's." })
    agentId: string | null,
  ): Promise<AsyncIterableIterator<Run>> {
    return this.runEventsService.runUpdated(agentId);
  }
}
