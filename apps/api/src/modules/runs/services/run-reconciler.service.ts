import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { lockRunForEvents, recordRunEvents } from '@trellis/db';
import type { Logger } from 'pino';
import { PeriodicPass } from '../../../common/scheduling/periodic-pass.js';
import { API_CONFIG, type ApiConfig } from '../../../infrastructure/config/api-config.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';
import {
  NodeStatus,
  PRISMA,
  type PrismaJson,
  type Run,
  RunStatus,
  type TrellisPrismaClient,
} from '../../../infrastructure/prisma/prisma-client.js';
import { TEMPORAL_CLIENT } from '../../../infrastructure/temporal/temporal.module.js';
import { repairEvents, repairFor, type RunRepair } from './run-repair.js';
import { TEMPORAL_CALL_TIMEOUT_MS } from './run-launcher.service.js';
import { isTemporalUnreachable, readWorkflowEnd } from './workflow-end-reader.js';

/**
 * Default of `ApiConfig.runReconcileGraceMs`: how long a RUNNING or WAITING run must go without an update
 * before its workflow is looked at (ms). The window where the row legitimately disagrees with Temporal is
 * short: `startRun` inserts the row up to {@link TEMPORAL_CALL_TIMEOUT_MS} before the workflow exists, and
 * the worker stores a run's outcome just before its workflow closes. 30 s covers both, plus clock skew between
 * the processes that write `updatedAt`, while a terminated run still shows up within a pass or two.
 */
export const RUN_RECONCILE_GRACE_MS = 30_000;
/**
 * A run whose workflow Temporal does not know is failed only after this long without an update (ms), whatever
 * the grace: its row may precede its workflow by up to {@link TEMPORAL_CALL_TIMEOUT_MS}.
 */
const MISSING_WORKFLOW_GRACE_MS = 3 * TEMPORAL_CALL_TIMEOUT_MS;
/** Runs read from Postgres per page. */
export const RUN_RECONCILE_BATCH_SIZE = 100;
/** Delay of the first pass after startup (ms), so it never competes with startup itself. */
const FIRST_PASS_DELAY_MS = 1_000;

/** Statuses of a run whose workflow should still be going. */
const OPEN_STATUSES: RunStatus[] = [RunStatus.RUNNING, RunStatus.WAITING];
/** Statuses of a node that only its (now closed) workflow could have finished. */
const UNFINISHED_NODE_STATUSES: NodeStatus[] = [NodeStatus.RUNNING, NodeStatus.WAITING];

/** What one pass did, in counts of runs. */
export interface RunReconcileReport {
  /** Stale runs whose workflow was looked up. */
  examined: number;
  /** Runs given their final status. */
  repaired: number;
  /** Runs that could not be handled this time (logged; looked at again next pass). */
  failed: number;
}

type StaleRun = Pick<Run, 'id' | 'workflowId' | 'updatedAt'>;

/**
 * Records the outcome of runs whose workflow closed without recording it itself: terminated (by an operator,
 * or a schedule's TERMINATE_OTHER overlap policy), timed out, or gone from Temporal. Such runs would otherwise
 * stay RUNNING or WAITING forever, in lists, the approvals inbox and event streams.
 *
 * Every `runReconcileIntervalMs`, and once shortly after startup, it pages through the RUNNING and WAITING runs
 * not updated for the grace period and describes each one's workflow (`workflowId ?? id`); closed ones get
 * their final status (see `repairFor`), their RUNNING and WAITING nodes become FAILED, and the matching run
 * events are recorded. Passes never overlap. While Temporal is unreachable a pass stops at the first call
 * that times out (a warning is logged) and the next one retries.
 */
@Injectable()
export class RunReconcilerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly intervalMs: number;
  private readonly graceMs: number;
  private readonly loop = new PeriodicPass<RunReconcileReport>({
    run: () => this.reconcile(),
    next: (outcome) => {
      if (outcome.ok) return this.intervalMs;
      if (isTemporalUnreachable(outcome.error)) {
        this.logger.warn({ err: outcome.error }, 'run reconciliation stopped: Temporal is unreachable; retrying next pass');
      } else {
        this.logger.error({ err: outcome.error }, 'run reconciliation failed; retrying next pass');
      }
      return this.intervalMs;
    },
  });

  /** @throws RangeError when `runReconcileIntervalMs` is not a positive integer or the grace a non-negative one */
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.intervalMs = config.runReconcileIntervalMs;
    this.graceMs = config.runReconcileGraceMs ?? RUN_RECONCILE_GRACE_MS;
    if (!Number.isInteger(this.intervalMs) || this.intervalMs <= 0) {
      throw new RangeError(`runReconcileIntervalMs must be a positive integer, got ${this.intervalMs}`);
    }
    if (!Number.isInteger(this.graceMs) || this.graceMs < 0) {
      throw new RangeError(`runReconcileGraceMs must be a non-negative integer, got ${this.graceMs}`);
    }
  }

  onApplicationBootstrap(): void {
    this.loop.start(Math.min(FIRST_PASS_DELAY_MS, this.intervalMs));
  }

  /**
   * Stops the loop and waits for a pass in progress, before the Prisma pool and the Temporal connection close:
   * at most the Temporal call in flight ({@link TEMPORAL_CALL_TIMEOUT_MS}, overshot by up to one retry backoff
   * of the client, 6 s). The client's retries of an unreachable server cannot be cancelled, and would throw
   * from a timer once the connection is closed.
   */
  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * One pass over the stale runs, in pages of {@link RUN_RECONCILE_BATCH_SIZE} (by id).
   *
   * @throws when Postgres cannot be read, or Temporal does not answer (the pass stops there: every other call
   *   would wait for its deadline too); runs repaired until then stay repaired
   */
  async reconcile(): Promise<RunReconcileReport> {
    const report: RunReconcileReport = { examined: 0, repaired: 0, failed: 0 };
    const cutoff = new Date(Date.now() - this.graceMs);
    let after: string | undefined;
    for (;;) {
      const page: StaleRun[] = await this.prisma.run.findMany({
        where: { status: { in: OPEN_STATUSES }, updatedAt: { lt: cutoff }, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: 'asc' },
        take: RUN_RECONCILE_BATCH_SIZE,
        select: { id: true, workflowId: true, updatedAt: true },
      });
      for (const run of page) {
        if (this.loop.stopped) return report;
        report.examined += 1;
        try {
          if (await this.reconcileRun(run)) report.repaired += 1;
        } catch (error) {
          if (this.loop.stopped) return report;
          if (isTemporalUnreachable(error)) throw error;
          report.failed += 1;
          this.logger.warn({ err: error, runId: run.id }, 'could not reconcile a run with its workflow');
        }
      }
      if (page.length < RUN_RECONCILE_BATCH_SIZE) break;
      after = page[page.length - 1].id;
    }
    if (report.repaired > 0 || report.failed > 0) this.logger.info({ ...report }, 'runs reconciled with Temporal');
    return report;
  }

  /** Repairs `run` when its workflow has ended; true when this call recorded the outcome. */
  private async reconcileRun(run: StaleRun): Promise<boolean> {
    const workflowId = run.workflowId ?? run.id;
    const end = await this.temporal.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
      readWorkflowEnd(this.temporal, workflowId),
    );
    if (end === null) return false;
    if (end.status === 'NOT_FOUND' && run.updatedAt.getTime() > Date.now() - MISSING_WORKFLOW_GRACE_MS) return false;
    const repair = repairFor(end);
    if (repair === null) {
      // No `{ output }` to record. `dagWorkflow` completes only after its final sync is stored, so a RUNNING
      // row here is nearly always that sync still committing: left to the worker, and looked at next pass.
      // (A result that cannot be decoded at all is left alone the same way, as a failure of this run.)
      this.logger.warn({ runId: run.id, workflowId }, 'workflow completed with an unexpected result; run left alone');
      return false;
    }
    const recorded = await this.record(run.id, repair);
    if (recorded) {
      this.logger.warn(
        { runId: run.id, workflowId, workflowStatus: end.status, status: repair.status, error: repair.error?.message },
        'recorded the outcome of a run whose workflow closed without recording it',
      );
    }
    return recorded;
  }

  /**
   * Writes `repair` in one transaction under the run's event lock, only if the run is still RUNNING or
   * WAITING: when the worker's own final sync (or another API instance) got there first, its record stands
   * and no second terminal event is written.
   */
  private record(runId: string, repair: RunRepair): Promise<boolean> {
    const finishedAt = new Date();
    return this.prisma.$transaction(async (tx) => {
      await lockRunForEvents(tx, runId);
      const { count } = await tx.run.updateMany({
        where: { id: runId, status: { in: OPEN_STATUSES } },
        data: {
          status: repair.status,
          // A null output leaves the column NULL, which reads the same as JSON null.
          output: (repair.output ?? undefined) as PrismaJson | undefined,
          error: repair.error as unknown as PrismaJson | undefined,
          finishedAt,
        },
      });
      if (count === 0) return false;
      const abandoned = await tx.nodeRun.updateManyAndReturn({
        where: { runId, status: { in: UNFINISHED_NODE_STATUSES } },
        data: { status: NodeStatus.FAILED, error: repair.nodeError as unknown as PrismaJson, finishedAt },
        select: { nodeId: true, attempts: true },
      });
      abandoned.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
      await recordRunEvents(tx, runId, repairEvents(repair, abandoned), { status: repair.status });
      return true;
    });
  }
}
