import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { PeriodicPass } from '../../../common/scheduling/periodic-pass.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';
import { PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { scheduleIdOf } from './schedule-ids.js';
import { withScheduleLock } from './schedule-lock.js';
import { resolveScheduleVersion } from './schedule-version.js';
import { TemporalSchedulesService } from './temporal-schedules.service.js';

/** Time between two reconciliations after a clean one (ms). */
export const RECONCILE_INTERVAL_MS = 5 * 60_000;
/** Time before retrying a reconciliation that failed, such as while Temporal is down (ms). */
export const RECONCILE_RETRY_MS = 30_000;

/** What one reconciliation did, in counts of schedules. */
export interface ReconcileReport {
  /** Rows whose Temporal Schedule was missing and was created. */
  created: number;
  /** Rows whose Temporal Schedule differed (spec, action, policies or state) and was replaced. */
  updated: number;
  unchanged: number;
  /** Temporal Schedules on this API's task queue with no row, deleted. */
  deleted: number;
  /** Schedules that could not be handled this time (logged; retried at the next pass). */
  failed: number;
}

/**
 * Keeps Temporal's schedules in line with the `schedules` table, which is the source of truth: for each
 * row, creates the missing Temporal Schedule or replaces a drifted one; deletes `trellis-schedule-*`
 * schedules that start workflows on this API's task queue but have no row (schedules of other deployments
 * sharing the namespace are left alone). Idempotent; each schedule is handled under its lock, so concurrent
 * writes and other API instances are never undone.
 *
 * Runs in the background once the application has started (never delaying startup), then every
 * {@link RECONCILE_INTERVAL_MS}, or after {@link RECONCILE_RETRY_MS} when a pass failed (Temporal down:
 * every Temporal call gives up after 10 s).
 */
@Injectable()
export class ScheduleReconcilerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop = new PeriodicPass<ReconcileReport>({
    run: () => this.reconcile(),
    next: (outcome) => {
      if (outcome.ok) return outcome.value.failed > 0 ? RECONCILE_RETRY_MS : RECONCILE_INTERVAL_MS;
      this.logger.error({ err: outcome.error }, 'schedule reconciliation failed; retrying');
      return RECONCILE_RETRY_MS;
    },
  });

  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly temporal: TemporalSchedulesService,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start(0);
  }

  /** Stops the loop and waits for a pass in progress, before the Prisma pool closes. */
  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * One full reconciliation.
   *
   * @throws when the `schedules` table or Temporal's schedule list cannot be read (nothing half-done is left:
   *   each schedule is handled atomically)
   */
  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
    const rows = await this.prisma.schedule.findMany({ select: { id: true } });
    for (const { id } of rows) {
      if (this.loop.stopped) return report;
      try {
        const outcome = await this.reconcileRow(id);
        if (outcome !== 'gone') report[outcome] += 1;
      } catch (error) {
        report.failed += 1;
        this.logger.error({ err: error, scheduleId: id }, 'could not reconcile a schedule');
      }
    }
    const known = new Set(rows.map((row) => row.id));
    for (const temporalId of await this.temporal.listTrellisScheduleIds()) {
      const id = scheduleIdOf(temporalId);
      if (this.loop.stopped) return report;
      if (id !== null && known.has(id)) continue;
      try {
        if (await this.removeIfOrphan(temporalId, id)) report.deleted += 1;
      } catch (error) {
        report.failed += 1;
        this.logger.error({ err: error, temporalScheduleId: temporalId }, 'could not remove an orphan schedule');
      }
    }
    this.logger.info({ ...report }, 'schedules reconciled with Temporal');
    return report;
  }

  private reconcileRow(id: string): Promise<'created' | 'updated' | 'unchanged' | 'gone'> {
    return withScheduleLock(this.prisma, id, async (tx) => {
      const row = await tx.schedule.findUnique({ where: { id } });
      if (!row) return 'gone';
      const version = await resolveScheduleVersion(tx, row);
      const { outcome, drift } = await this.temporal.converge(id, this.temporal.desired(row, version));
      if (outcome !== 'unchanged') this.logger.warn({ scheduleId: id, outcome, drift }, 'Temporal schedule repaired');
      return outcome;
    });
  }

  /** Deletes the Temporal Schedule when it starts workflows on this API's task queue and still has no row. */
  private removeIfOrphan(temporalId: string, id: string | null): Promise<boolean> {
    return withScheduleLock(this.prisma, id ?? temporalId, async (tx) => {
      // Re-read under the lock: the row may have been created since the list was read.
      if (id !== null && (await tx.schedule.findUnique({ where: { id }, select: { id: true } }))) return false;
      const description = await this.temporal.describeTemporal(temporalId);
      if (!description || !this.temporal.startsOnThisTaskQueue(description)) return false;
      const removed = await this.temporal.remove(temporalId);
      if (removed) this.logger.warn({ temporalScheduleId: temporalId }, 'orphan Temporal schedule deleted');
      return removed;
    });
  }
}
