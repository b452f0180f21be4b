import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { Logger } from 'pino';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { assertUuid } from '../../../common/validation/argument-guards.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';
import {
  type AgentVersion,
  PRISMA,
  type Schedule,
  ScheduleOverlapPolicy,
  type TrellisPrismaClient,
} from '../../../infrastructure/prisma/prisma-client.js';
import { AgentsService } from '../../agents/services/agents.service.js';
import type { CreateScheduleInput } from '../dtos/create-schedule.input.js';
import type { UpdateScheduleInput } from '../dtos/update-schedule.input.js';
import {
  checkScheduleFields,
  normalizeCron,
  optionalNote,
  reportingRejectedSpecs,
  type ScheduleFields,
  scheduleColumns,
} from './schedule-fields.js';
import { temporalScheduleId } from './schedule-ids.js';
import { type PrismaTransaction, withScheduleLock } from './schedule-lock.js';
import { ScheduleQueriesService } from './schedule-queries.service.js';
import { resolveScheduleVersion } from './schedule-version.js';
import { TemporalSchedulesService } from './temporal-schedules.service.js';

/** Column changes of one schedule row. */
type ScheduleUpdateData = Parameters<PrismaTransaction['schedule']['update']>[0]['data'];

/**
 * Writes schedules. Postgres is the source of truth and each write also brings the Temporal Schedule
 * `trellis-schedule-<id>` in line, inside one transaction holding the schedule's lock, so a Temporal failure
 * rolls the row back (what is left over, such as a commit failing after Temporal accepted, is repaired by
 * `ScheduleReconcilerService`).
 */
@Injectable()
export class ScheduleCommandsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly agents: AgentsService,
    private readonly schedules: ScheduleQueriesService,
    private readonly temporal: TemporalSchedulesService,
  ) {}

  /**
   * Stores a schedule and creates its Temporal Schedule.
   *
   * @throws TrellisException `BAD_USER_INPUT` (paths `input.cron`, `input.interval`, `input.timezone`,
   *   `input.catchupWindow`, `input.note`, `input.version`, `input.input.…` for input failing the version's
   *   `inputSchema`), `NOT_FOUND` (agent, version); Temporal's error when it cannot be reached (nothing is stored)
   */
  async create(request: CreateScheduleInput): Promise<Schedule> {
    const agent = await this.agents.getById(request.agentId, 'input.agentId');
    const fields: ScheduleFields = {
      version: request.version ?? null,
      cron: normalizeCron(request.cron),
      interval: request.interval ?? null,
      timezone: request.timezone ?? 'UTC',
      input: request.input ?? {},
      overlapPolicy: request.overlapPolicy ?? ScheduleOverlapPolicy.SKIP,
      catchupWindow: request.catchupWindow ?? null,
    };
    const note = optionalNote(request.note, 'input.note');
    const id = randomUUID();
    return reportingRejectedSpecs(fields, () =>
      withScheduleLock(this.prisma, id, async (tx) => {
        const version = await checkScheduleFields(tx, agent.id, fields);
        const row = await tx.schedule.create({
          data: { id, agentId: agent.id, ...scheduleColumns(fields), paused: request.paused ?? false, note },
        });
        await this.temporal.push(id, this.temporal.desired(row, version));
        return row;
      }),
    );
  }

  /**
   * Changes a schedule's timing, version, input or policies (see {@link UpdateScheduleInput}). Giving `cron`
   * or `interval` replaces both, so switching from one to the other needs only the new one.
   *
   * @throws TrellisException as {@link create}, and `NOT_FOUND` for an unknown schedule
   */
  async update(id: string, request: UpdateScheduleInput): Promise<Schedule> {
    assertUuid(id, 'id');
    return this.lockedWrite(id, async (tx, row) => {
      const retimed = request.cron !== undefined || request.interval !== undefined;
      const fields: ScheduleFields = {
        version: request.version !== undefined ? request.version : row.version,
        cron: retimed ? normalizeCron(request.cron) : row.cron,
        interval: retimed ? (request.interval ?? null) : row.interval,
        timezone: request.timezone ?? row.timezone,
        input: request.input !== undefined ? (request.input ?? {}) : row.input,
        overlapPolicy: request.overlapPolicy ?? row.overlapPolicy,
        catchupWindow: request.catchupWindow !== undefined ? request.catchupWindow : row.catchupWindow,
      };
      const version = await checkScheduleFields(tx, row.agentId, fields);
      return { data: scheduleColumns(fields), version };
    });
  }

  /**
   * Pauses (`paused`) or resumes a schedule, with a note. Idempotent.
   *
   * @throws TrellisException `BAD_USER_INPUT` (id, `note` longer than 1,000 characters), `NOT_FOUND`
   */
  async setPaused(id: string, paused: boolean, note: string | null | undefined): Promise<Schedule> {
    assertUuid(id, 'id');
    const text = optionalNote(note, 'note');
    return this.lockedWrite(id, async (tx, row) => ({
      data: { paused, note: text },
      version: await resolveScheduleVersion(tx, row),
    }));
  }

  /**
   * Starts one run now. The run starts asynchronously (Temporal's scheduler starts it) and shows up in
   * `recentActions` and `runs` once the worker records it.
   *
   * @param overlap this trigger's overlap policy; default the schedule's own
   * @throws TrellisException `BAD_USER_INPUT` (id), `NOT_FOUND`; Temporal's error when it cannot be reached
   */
  async trigger(id: string, overlap: ScheduleOverlapPolicy | null | undefined): Promise<Schedule> {
    const row = await this.schedules.getById(id);
    await this.withTemporalSchedule(row, () => this.temporal.trigger(row.id, overlap ?? row.overlapPolicy));
    return row;
  }

  /**
   * Takes, all at once, the actions the schedule would have taken between `start` and `end` (even while
   * paused). Each starts a run whose `scheduledAt` is the missed time.
   *
   * @param overlap the backfill's overlap policy; default the schedule's own (use ALLOW_ALL to start them all)
   * @throws TrellisException `BAD_USER_INPUT` (id; `end` not after `start`), `NOT_FOUND`; Temporal's error
   *   when it cannot be reached
   */
  async backfill(
    id: string,
    start: Date,
    end: Date,
    overlap: ScheduleOverlapPolicy | null | undefined,
  ): Promise<Schedule> {
    assertUuid(id, 'id');
    if (!(end.getTime() > start.getTime())) {
      throw TrellisException.badUserInput('Invalid backfill window', [{ path: 'end', message: 'must be after start' }]);
    }
    const row = await this.schedules.getById(id);
    await this.withTemporalSchedule(row, () =>
      this.temporal.backfill(row.id, start, end, overlap ?? row.overlapPolicy),
    );
    return row;
  }

  /**
   * Deletes the Temporal Schedule, then the row (its runs stay, with `schedule` null).
   *
   * @returns the deleted schedule's id
   * @throws TrellisException `BAD_USER_INPUT` (id), `NOT_FOUND`; Temporal's error when it cannot be reached
   *   (nothing is deleted)
   */
  async delete(id: string): Promise<string> {
    assertUuid(id, 'id');
    return withScheduleLock(this.prisma, id, async (tx) => {
      const row = await tx.schedule.findUnique({ where: { id } });
      if (!row) throw TrellisException.notFound('Schedule', id);
      await this.temporal.remove(temporalScheduleId(id));
      await tx.schedule.delete({ where: { id } });
      return id;
    });
  }

  /**
   * Reads the row under its lock, writes the `data` that `change` derives from it and pushes the result,
   * running the `version` `change` chose, to Temporal, in one transaction.
   *
   * @throws TrellisException `NOT_FOUND` for an unknown schedule, `BAD_USER_INPUT` when Temporal rejects the
   *   spec (see {@link reportingRejectedSpecs}); whatever `change` throws (the row is then left as it was)
   */
  private lockedWrite(
    id: string,
    change: (tx: PrismaTransaction, row: Schedule) => Promise<{ data: ScheduleUpdateData; version: AgentVersion }>,
  ): Promise<Schedule> {
    return withScheduleLock(this.prisma, id, async (tx) => {
      const row = await tx.schedule.findUnique({ where: { id } });
      if (!row) throw TrellisException.notFound('Schedule', id);
      const { data, version } = await change(tx, row);
      const updated = await tx.schedule.update({ where: { id }, data });
      await reportingRejectedSpecs(updated, () => this.temporal.push(id, this.temporal.desired(updated, version)));
      return updated;
    });
  }

  /**
   * Runs `work` on the Temporal Schedule, restoring it first if Temporal lost it (then running `work` once
   * more), rather than waiting for the next reconciliation.
   *
   * @throws TrellisException `NOT_FOUND` when the row was deleted meanwhile; whatever else `work` throws
   */
  private async withTemporalSchedule(row: Schedule, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      this.logger.warn({ scheduleId: row.id }, 'Temporal schedule missing; restoring it');
      await withScheduleLock(this.prisma, row.id, async (tx) => {
        const current = await tx.schedule.findUnique({ where: { id: row.id } });
        if (!current) throw TrellisException.notFound('Schedule', row.id);
        await this.temporal.push(row.id, this.temporal.desired(current, await resolveScheduleVersion(tx, current)));
      });
      await work();
    }
  }
}
