import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleDescription,
  ScheduleNotFoundError,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
  type ScheduleUpdateOptions,
  type Workflow,
} from '@temporalio/client';
import { DAG_WORKFLOW_TYPE, type DagWorkflowInput, parseDuration, workspaceSearchAttributes } from '@trellis/dag-interpreter';
import { API_CONFIG, type ApiConfig } from '../../../infrastructure/config/api-config.js';
import { readDag, type AgentVersion, type Schedule, type ScheduleOverlapPolicy } from '../../../infrastructure/prisma/prisma-client.js';
import { TEMPORAL_CLIENT } from '../../../infrastructure/temporal/temporal.module.js';
import { TEMPORAL_CALL_TIMEOUT_MS } from '../../runs/services/run-launcher.service.js';
import { TEMPORAL_SCHEDULE_PREFIX, temporalScheduleId } from './schedule-ids.js';
import { catchupWindowMs } from './schedule-timing.js';

/**
 * What a Temporal Schedule of a Trellis schedule looks like: the full options `create`/`update` take, with
 * every part Trellis sets made required.
 */
export interface DesiredSchedule extends ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<Workflow>> {
  spec: ScheduleSpec;
  action: ScheduleOptionsStartWorkflowAction<Workflow> & { workflowId: string; args: [DagWorkflowInput] };
  policies: { overlap: ScheduleOverlapPolicy; catchupWindow: number };
  state: { paused: boolean; note: string };
}

/** Temporal refused a schedule's spec (`Invalid schedule spec: …`): an unknown time zone, a cron field it rejects. */
export class ScheduleSpecRejectedError extends Error {
  override readonly name = 'ScheduleSpecRejectedError';
}

/**
 * Marks the calendar Temporal compiles from a cron expression: Temporal keeps a cron's `# comment` as the
 * calendar's `comment` but not the expression itself, so this is how drift in `cron` is detected.
 */
const CRON_COMMENT_PREFIX = 'trellis cron: ';

/**
 * Temporal's half of schedules: builds the Temporal Schedule a row stands for and creates, compares,
 * updates, deletes, triggers and backfills it. Every call is bounded by `TEMPORAL_CALL_TIMEOUT_MS` (10 s).
 * Never touches Postgres; callers hold the schedule's lock (`withScheduleLock`).
 */
@Injectable()
export class TemporalSchedulesService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * The Temporal Schedule for `row`, running `version`: a `dagWorkflow` started on the API's task queue with
   * workflow id `trellis-schedule-<id>` (Temporal appends the scheduled time) and the input of a scheduled run
   * (no `runId`, so the workflow picks the run id; trigger SCHEDULE). Cron expressions carry themselves as
   * a comment (see {@link CRON_COMMENT_PREFIX}).
   */
  desired(row: Schedule, version: AgentVersion): DesiredSchedule {
    const workflowInput: DagWorkflowInput = {
      scheduleId: row.id,
      workspaceId: row.workspaceId,
      agentVersionId: version.id,
      dag: readDag(version),
      input: row.input,
      trigger: 'SCHEDULE',
    };
    return {
      spec:
        row.cron !== null
          ? { cronExpressions: [`${row.cron} # ${CRON_COMMENT_PREFIX}${row.cron}`], timezone: row.timezone }
          : { intervals: [{ every: parseDuration(row.interval ?? '') }], timezone: row.timezone },
      action: {
        type: 'startWorkflow',
        workflowType: DAG_WORKFLOW_TYPE,
        taskQueue: this.config.taskQueue,
        workflowId: temporalScheduleId(row.id),
        args: [workflowInput],
        ...workspaceSearchAttributes(row.workspaceId),
      },
      policies: { overlap: row.overlapPolicy, catchupWindow: catchupWindowMs(row.catchupWindow) },
      state: { paused: row.paused, note: row.note ?? '' },
    };
  }

  /**
   * Makes Temporal's schedule match `desired` without looking first: updates it, or creates it when it is
   * missing.
   *
   * @returns `created` or `updated`
   * @throws ScheduleSpecRejectedError when Temporal rejects the spec (an unknown time zone, a cron field it refuses);
   *   Temporal's `ServiceError` when it cannot be reached in time
   */
  async push(scheduleId: string, desired: DesiredSchedule): Promise<'created' | 'updated'> {
    try {
      return await this.write(scheduleId, desired);
    } catch (error) {
      // The SDK turns the server's `INVALID_ARGUMENT: Invalid schedule spec: …` into a TypeError.
      if (error instanceof TypeError) throw new ScheduleSpecRejectedError(error.message);
      throw error;
    }
  }

  private async write(scheduleId: string, desired: DesiredSchedule): Promise<'created' | 'updated'> {
    try {
      await this.call(() => this.client.schedule.getHandle(temporalScheduleId(scheduleId)).update(() => desired));
      return 'updated';
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
    try {
      await this.call(() => this.client.schedule.create({ scheduleId: temporalScheduleId(scheduleId), ...desired }));
      return 'created';
    } catch (error) {
      // Created in between (by a Temporal retry of our own request): replace it with the desired one.
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await this.call(() => this.client.schedule.getHandle(temporalScheduleId(scheduleId)).update(() => desired));
      return 'updated';
    }
  }

  /**
   * Like {@link push}, but only writes when Temporal's schedule is missing or differs from `desired`.
   *
   * @returns `created`, `updated` (with what differed) or `unchanged`
   */
  async converge(
    scheduleId: string,
    desired: DesiredSchedule,
  ): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; drift: string[] }> {
    const current = await this.describe(scheduleId);
    if (current === null) return { outcome: await this.push(scheduleId, desired), drift: ['missing'] };
    const drift = driftBetween(current, desired);
    if (drift.length === 0) return { outcome: 'unchanged', drift };
    await this.push(scheduleId, desired);
    return { outcome: 'updated', drift };
  }

  /** Temporal's description of the schedule, or null when Temporal has no such schedule. */
  async describe(scheduleId: string): Promise<ScheduleDescription | null> {
    return this.describeTemporal(temporalScheduleId(scheduleId));
  }

  /** Like {@link describe}, by Temporal schedule id. */
  async describeTemporal(temporalId: string): Promise<ScheduleDescription | null> {
    try {
      return await this.call(() => this.client.schedule.getHandle(temporalId).describe());
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return null;
      throw error;
    }
  }

  /** Deletes the schedule; true if it existed. */
  async remove(temporalId: string): Promise<boolean> {
    try {
      await this.call(() => this.client.schedule.getHandle(temporalId).delete());
      return true;
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return false;
      throw error;
    }
  }

  /**
   * Takes one action now.
   *
   * @throws ScheduleNotFoundError when Temporal has no such schedule
   */
  async trigger(scheduleId: string, overlap: ScheduleOverlapPolicy): Promise<void> {
    await this.call(() => this.client.schedule.getHandle(temporalScheduleId(scheduleId)).trigger(overlap));
  }

  /**
   * Takes the actions the schedule would have taken between `start` and `end`, all at once.
   *
   * @throws ScheduleNotFoundError when Temporal has no such schedule
   */
  async backfill(scheduleId: string, start: Date, end: Date, overlap: ScheduleOverlapPolicy): Promise<void> {
    await this.call(() =>
      this.client.schedule.getHandle(temporalScheduleId(scheduleId)).backfill({ start, end, overlap }),
    );
  }

  /** Ids of every Temporal Schedule in the namespace whose id has the `trellis-schedule-` prefix. */
  async listTrellisScheduleIds(): Promise<string[]> {
    return this.call(async () => {
      const ids: string[] = [];
      for await (const summary of this.client.schedule.list({ pageSize: 1_000 })) {
        if (summary.scheduleId.startsWith(TEMPORAL_SCHEDULE_PREFIX)) ids.push(summary.scheduleId);
      }
      return ids;
    });
  }

  /**
   * True when the schedule starts Trellis' workflow on this API's task queue. Other deployments sharing the
   * namespace (with their own databases and task queues) own the others, so they are never orphans of ours.
   */
  startsOnThisTaskQueue(description: ScheduleDescription): boolean {
    return (
      description.action.workflowType === DAG_WORKFLOW_TYPE && description.action.taskQueue === this.config.taskQueue
    );
  }

  private call<T>(work: () => Promise<T>): Promise<T> {
    return this.client.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, work);
  }
}

/** What differs between Temporal's schedule and the desired one: `spec`, `action`, `policies`, `state`. */
export function driftBetween(current: ScheduleDescription, desired: DesiredSchedule): string[] {
  const drift: string[] = [];
  if (!specMatches(current, desired)) drift.push('spec');
  const action = current.action;
  if (
    action.type !== 'startWorkflow' ||
    action.workflowType !== desired.action.workflowType ||
    action.taskQueue !== desired.action.taskQueue ||
    action.workflowId !== desired.action.workflowId ||
    !isDeepStrictEqual(action.args ?? [], desired.action.args)
  ) {
    drift.push('action');
  }
  if (
    current.policies.overlap !== desired.policies.overlap ||
    current.policies.catchupWindow !== desired.policies.catchupWindow ||
    current.policies.pauseOnFailure
  ) {
    drift.push('policies');
  }
  if (current.state.paused !== desired.state.paused || (current.state.note ?? '') !== desired.state.note) {
    drift.push('state');
  }
  return drift;
}

function specMatches(current: ScheduleDescription, desired: DesiredSchedule): boolean {
  const spec = current.spec;
  const calendars = spec.calendars ?? [];
  const intervals = spec.intervals ?? [];
  if ((spec.timezone ?? '') !== (desired.spec.timezone ?? '')) return false;
  if ((spec.skip ?? []).length > 0 || spec.startAt !== undefined || spec.endAt !== undefined || (spec.jitter ?? 0) !== 0) {
    return false;
  }
  if (desired.spec.cronExpressions) {
    const comment = desired.spec.cronExpressions[0].split(' # ')[1];
    return intervals.length === 0 && calendars.length === 1 && calendars[0].comment === comment;
  }
  const every = desired.spec.intervals?.[0]?.every;
  // The SDK reports a zero offset as undefined.
  const offset = intervals[0]?.offset ?? 0;
  return calendars.length === 0 && intervals.length === 1 && intervals[0].every === every && offset === 0;
}
