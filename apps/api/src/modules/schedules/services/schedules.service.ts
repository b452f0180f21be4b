import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type ScheduleDescription, ScheduleNotFoundError } from '@temporalio/client';
import { validateRunInput } from '@trellis/dag-interpreter';
import type { Logger } from 'pino';
import { TrellisException, type ValidationIssue } from '../../../common/exceptions/trellis-exception.js';
import { assertIntInRange, assertUuid } from '../../../common/validation/argument-guards.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';
import {
  readDag,
  type AgentVersion,
  PRISMA,
  type PrismaJson,
  type Run,
  type Schedule,
  ScheduleOverlapPolicy,
  type TrellisPrismaClient,
} from '../../../infrastructure/prisma/prisma-client.js';
import { AgentsService } from '../../agents/services/agents.service.js';
import type { CreateScheduleInput } from '../dtos/create-schedule.input.js';
import type { ScheduleActionType } from '../dtos/schedule.type.js';
import type { UpdateScheduleInput } from '../dtos/update-schedule.input.js';
import { temporalScheduleId } from './schedule-ids.js';
import { type PrismaTransaction, withScheduleLock } from './schedule-lock.js';
import { scheduleTimingIssues } from './schedule-timing.js';
import { resolveScheduleVersion } from './schedule-version.js';
import { ScheduleSpecRejectedError, TemporalSchedulesService } from './temporal-schedules.service.js';

/** Longest schedule note, in UTF-16 code units. */
const MAX_NOTE_LENGTH = 1_000;
/** `nextFireTimes` and `recentActions` list at most this many. */
export const SCHEDULE_TIMES_SHOWN = 5;

/** Column changes of one schedule row. */
type ScheduleUpdateData = Parameters<PrismaTransaction['schedule']['update']>[0]['data'];

/** A schedule's editable fields, after defaults. */
interface ScheduleFields {
  version: number | null;
  cron: string | null;
  interval: string | null;
  timezone: string;
  input: unknown;
  overlapPolicy: ScheduleOverlapPolicy;
  catchupWindow: string | null;
}

/**
 * Schedules: Postgres is the source of truth and each write also brings the Temporal Schedule
 * `trellis-schedule-<id>` in line, inside one transaction holding the schedule's lock, so a Temporal failure
 * rolls the row back (what is left over, such as a commit failing after Temporal accepted, is repaired by
 * `ScheduleReconcilerService`).
 */
@Injectable()
export class SchedulesService implements OnModuleInit {
  /** Temporal's description per row object, so `nextFireTimes` and `recentActions` share one call. */
  private readonly descriptions = new WeakMap<Schedule, Promise<ScheduleDescription | null>>();

  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly agents: AgentsService,
    private readonly temporal: TemporalSchedulesService,
  ) {}

  /** Re-points unpinned schedules when their agent's live version changes. */
  onModuleInit(): void {
    this.agents.onLiveVersionChange((agentId) => this.followLiveVersion(agentId));
  }

  /**
   * An agent's schedules, oldest first.
   *
   * @throws TrellisException `BAD_USER_INPUT` for a malformed id, `NOT_FOUND` for an unknown agent
   */
  async listForAgent(agentId: string): Promise<Schedule[]> {
    const agent = await this.agents.getById(agentId, 'agentId');
    return this.prisma.schedule.findMany({ where: { agentId: agent.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /**
   * @throws TrellisException `BAD_USER_INPUT` for a malformed id, `NOT_FOUND` for an unknown schedule
   */
  async getById(id: string, argumentName = 'id'): Promise<Schedule> {
    assertUuid(id, argumentName);
    const row = await this.prisma.schedule.findUnique({ where: { id } });
    if (!row) throw TrellisException.notFound('Schedule', id);
    return row;
  }

  /** The schedule a run was started by, or null. Batched by Prisma within a tick. */
  findLinked(id: string | null): Promise<Schedule | null> {
    return id === null ? Promise.resolve(null) : this.prisma.schedule.findUnique({ where: { id } });
  }

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
    return this.reportingRejectedSpecs(fields, () =>
      withScheduleLock(this.prisma, id, async (tx) => {
        const version = await this.checkFields(tx, agent.id, fields);
        const row = await tx.schedule.create({
          data: { id, agentId: agent.id, ...columns(fields), paused: request.paused ?? false, note },
        });
        await this.temporal.push(id, this.temporal.desired(row, version));
        return row;
      }),
    );
  }

  /**
   * Changes a schedule's timing, version, input or policies (see {@link UpdateScheduleInput}).
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
      const version = await this.checkFields(tx, row.agentId, fields);
      return { data: columns(fields), version };
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
   * @throws TrellisException `BAD_USER_INPUT` (id), `NOT_FOUND`
   */
  async trigger(id: string, overlap: ScheduleOverlapPolicy | null | undefined): Promise<Schedule> {
    const row = await this.getById(id);
    await this.withTemporalSchedule(row, () => this.temporal.trigger(row.id, overlap ?? row.overlapPolicy));
    return row;
  }

  /**
   * Takes, all at once, the actions the schedule would have taken between `start` and `end` (even while
   * paused). Each starts a run whose `scheduledAt` is the missed time.
   *
   * @param overlap the backfill's overlap policy; default the schedule's own (use ALLOW_ALL to start them all)
   * @throws TrellisException `BAD_USER_INPUT` (id; `end` not after `start`), `NOT_FOUND`
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
    const row = await this.getById(id);
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
   * The next fire times (at most {@link SCHEDULE_TIMES_SHOWN}, soonest first), from Temporal. Empty while the
   * schedule is paused, or when Temporal has no schedule for it (reconciliation restores it).
   *
   * @throws Temporal's error when it cannot be reached
   */
  async nextFireTimes(row: Schedule): Promise<Date[]> {
    if (row.paused) return [];
    const description = await this.describe(row);
    return description?.info.nextActionTimes.slice(0, SCHEDULE_TIMES_SHOWN) ?? [];
  }

  /**
   * The last actions Temporal took (at most {@link SCHEDULE_TIMES_SHOWN}, newest first).
   *
   * @throws Temporal's error when it cannot be reached
   */
  async recentActions(row: Schedule): Promise<ScheduleActionType[]> {
    const description = await this.describe(row);
    const actions = description?.info.recentActions.slice(-SCHEDULE_TIMES_SHOWN).reverse() ?? [];
    return actions.map((action) => ({
      scheduledAt: action.scheduledAt,
      takenAt: action.takenAt,
      workflowId: action.action.workflow.workflowId,
    }));
  }

  /** The run a schedule's action started, by its Temporal workflow id; null until the worker records it. */
  runForWorkflow(workflowId: string): Promise<Run | null> {
    return this.prisma.run.findUnique({ where: { workflowId } });
  }

  /**
   * Points the Temporal Schedules of an agent's unpinned schedules at its (new) live version. Failures are
   * logged, not thrown: the version is already published, and reconciliation retries.
   */
  async followLiveVersion(agentId: string): Promise<void> {
    const rows = await this.prisma.schedule.findMany({ where: { agentId, version: null }, select: { id: true } });
    for (const { id } of rows) {
      try {
        await withScheduleLock(this.prisma, id, async (tx) => {
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

  /** Reads the row under its lock, writes `data` and pushes the result to Temporal, in one transaction. */
  private lockedWrite(
    id: string,
    change: (tx: PrismaTransaction, row: Schedule) => Promise<{ data: ScheduleUpdateData; version: AgentVersion }>,
  ): Promise<Schedule> {
    return withScheduleLock(this.prisma, id, async (tx) => {
      const row = await tx.schedule.findUnique({ where: { id } });
      if (!row) throw TrellisException.notFound('Schedule', id);
      const { data, version } = await change(tx, row);
      const updated = await tx.schedule.update({ where: { id }, data });
      await this.reportingRejectedSpecs(updated, () => this.temporal.push(id, this.temporal.desired(updated, version)));
      return updated;
    });
  }

  /**
   * Checks the fields and returns the version the schedule runs.
   *
   * @throws TrellisException `BAD_USER_INPUT` with every problem found, `NOT_FOUND` for an unknown version
   */
  private async checkFields(tx: PrismaTransaction, agentId: string, fields: ScheduleFields): Promise<AgentVersion> {
    const issues: ValidationIssue[] = scheduleTimingIssues(fields, 'input');
    if (fields.version !== null) assertIntInRange(fields.version, 'input.version', 1, 2_147_483_647);
    let version: AgentVersion;
    try {
      version = await resolveScheduleVersion(tx, { agentId, version: fields.version });
    } catch (error) {
      if (issues.length > 0) throw TrellisException.badUserInput('Invalid schedule', issues);
      throw error;
    }
    const inputSchema = readDag(version).inputSchema;
    for (const issue of validateRunInput(inputSchema, fields.input)) {
      issues.push({ path: `input.${issue.path}`, message: issue.message });
    }
    if (issues.length > 0) throw TrellisException.badUserInput('Invalid schedule', issues);
    return version;
  }

  /** Turns Temporal's refusal of a spec into `BAD_USER_INPUT` at the field it is about. */
  private async reportingRejectedSpecs<T>(
    fields: Pick<ScheduleFields, 'cron'>,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ScheduleSpecRejectedError)) throw error;
      const path = /time ?zone/i.test(error.message) ? 'input.timezone' : fields.cron !== null ? 'input.cron' : 'input.interval';
      throw TrellisException.badUserInput('Temporal rejected the schedule', [{ path, message: error.message }]);
    }
  }

  /** Runs `work` on the Temporal Schedule, restoring it first if Temporal lost it. */
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

  private describe(row: Schedule): Promise<ScheduleDescription | null> {
    let description = this.descriptions.get(row);
    if (!description) {
      description = this.temporal.describe(row.id);
      this.descriptions.set(row, description);
    }
    return description;
  }
}

/** The columns of a schedule row that {@link ScheduleFields} set. */
function columns(fields: ScheduleFields) {
  return {
    version: fields.version,
    cron: fields.cron,
    interval: fields.interval,
    timezone: fields.timezone,
    input: fields.input as PrismaJson,
    overlapPolicy: fields.overlapPolicy,
    catchupWindow: fields.catchupWindow,
  };
}

/** A cron expression with single spaces between its fields, so the stored text is canonical. */
function normalizeCron(cron: string | null | undefined): string | null {
  return cron == null ? null : cron.trim().split(/\s+/).join(' ');
}

/**
 * A trimmed note, or null when absent or blank.
 *
 * @throws TrellisException `BAD_USER_INPUT` when longer than {@link MAX_NOTE_LENGTH}
 */
function optionalNote(note: string | null | undefined, path: string): string | null {
  const text = note?.trim() || null;
  if (text !== null && text.length > MAX_NOTE_LENGTH) {
    throw TrellisException.badUserInput(`Invalid argument ${path}`, [
      { path, message: `must be at most ${MAX_NOTE_LENGTH} characters` },
    ]);
  }
  return text;
}
