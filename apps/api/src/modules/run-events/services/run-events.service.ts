import { Inject, Injectable } from '@nestjs/common';
import { TERMINAL_RUN_EVENT_TYPES } from '@trellis/db';
import type { Logger } from 'pino';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { assertIntInRange, assertUuid } from '../../../common/validation/argument-guards.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';
import { PRISMA, type Run, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import type { RunEventType } from '../dtos/run-event.type.js';
import { PushStream } from './push-stream.js';
import { RunEventFeed } from './run-event-feed.js';
import { RunEventsBus } from './run-events-bus.service.js';
import { RunStatusFeed } from './run-status-feed.js';
import { currentCaller } from '../../identity/access/current-caller.js';

/** Largest `afterSequence`: GraphQL `Int` is 32-bit. */
const MAX_SEQUENCE = 2_147_483_647;

/** Opens the streams behind the `runEvents` and `runUpdated` subscriptions, after checking their arguments. */
@Injectable()
export class RunEventsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly bus: RunEventsBus,
  ) {}

  /**
   * The run's events with `sequence > afterSequence`, then its live ones, ending after its terminal
   * event (at once when that event is at or before `afterSequence`).
   *
   * @throws TrellisException `BAD_USER_INPUT` (malformed `runId`, negative `afterSequence`), `NOT_FOUND`
   */
  async runEvents(runId: string, afterSequence: number): Promise<AsyncIterableIterator<RunEventType>> {
    assertUuid(runId, 'runId');
    assertIntInRange(afterSequence, 'afterSequence', 0, MAX_SEQUENCE);
    const run = await this.prisma.run.findUnique({ where: { id: runId }, select: { id: true } });
    if (!run) throw TrellisException.notFound('Run', runId);
    const ended = await this.prisma.runEvent.count({
      where: { runId, sequence: { lte: afterSequence }, type: { in: [...TERMINAL_RUN_EVENT_TYPES] } },
    });
    if (ended > 0) {
      const done = new PushStream<RunEventType>(() => {});
      done.end();
      return done;
    }
    return new RunEventFeed({ prisma: this.prisma, bus: this.bus, logger: this.logger }, runId, afterSequence).stream;
  }

  /**
   * The agent's runs, or with no agent every run of the caller's workspace, each time one changes status
   * (from now on: no replay).
   *
   * @throws TrellisException `BAD_USER_INPUT` (malformed `agentId`), `NOT_FOUND`
   */
  async runUpdated(agentId: string | null | undefined): Promise<AsyncIterableIterator<Run>> {
    const deps = { prisma: this.prisma, bus: this.bus, logger: this.logger };
    if (agentId == null) return new RunStatusFeed(deps, { workspaceId: currentCaller().workspaceId }).stream;
    assertUuid(agentId, 'agentId');
    const agent = await this.prisma.agent.findUnique({ where: { id: agentId }, select: { id: true } });
    if (!agent) throw TrellisException.notFound('Agent', agentId);
    return new RunStatusFeed(deps, { agentId }).stream;
  }
}
