import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { validateRunInput } from '@trellis/dag-interpreter';
import type { Logger } from 'pino';
import { LOGGER } from '../../../infrastructure/logging/logger.js';
import { readDag, PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { AgentsService } from '../../agents/services/agents.service.js';
import { withScheduleLock } from './schedule-lock.js';
import { resolveScheduleVersion } from './schedule-version.js';
import { TemporalSchedulesService } from './temporal-schedules.service.js';

/**
 * Keeps unpinned schedules (`version` null) on their agent's live version: the row does not change when the
 * live version does, but its Temporal Schedule carries the version's DAG in its action, so that action is
 * re-pushed whenever `AgentsService` reports a new live version.
 */
@Injectable()
export class ScheduleVersionFollowerService implements OnModuleInit {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly agents: AgentsService,
    private readonly temporal: TemporalSchedulesService,
  ) {}

  /** Registers {@link followLiveVersion} with `AgentsService`, before any version can be published. */
  onModuleInit(): void {
    this.agents.onLiveVersionChange((agentId) => this.followLiveVersion(agentId));
  }

  /**
   * Points the Temporal Schedules of an agent's unpinned schedules at its (new) live version, one schedule at
   * a time under its lock. A schedule whose stored input no longer matches the new version's `inputSchema` is
   * still moved, with a warning: following the live version is what an unpinned schedule asked for. Failures
   * are logged, not thrown: the version is already published, and reconciliation retries.
   */
  async followLiveVersion(agentId: string): Promise<void> {
    const rows = await this.prisma.schedule.findMany({ where: { agentId, version: null }, select: { id: true } });
    for (const { id } of rows) {
      try {
        await withScheduleLock(this.prisma, id, async (tx) => {
          // Re-read under the lock: the schedule may have been deleted or pinned since the list was read.
          const row = await tx.schedule.findUnique({ where: { id } });
          if (!row || row.version !== null) return;
          const version = await resolveScheduleVersion(tx, row);
          const issues = validateRunInput(readDag(version).inputSchema, row.input);
          if (issues.length > 0) {
            this.logger.warn({ scheduleId: id, version: version.version, issues }, 'scheduled input does not match the new live version');
          }
          await this.temporal.push(id, this.temporal.desired(row, version));
        });
      } catch (error) {
        this.logger.error({ err: error, scheduleId: id }, 'could not move a schedule to the live version; reconciliation will retry');
      }
    }
  }
}
