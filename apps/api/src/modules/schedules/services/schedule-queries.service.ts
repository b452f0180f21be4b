import { Inject, Injectable } from '@nestjs/common';
import type { ScheduleDescription } from '@temporalio/client';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { assertUuid } from '../../../common/validation/argument-guards.js';
import { PRISMA, type Run, type Schedule, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { AgentsService } from '../../agents/services/agents.service.js';
import type { ScheduleActionType } from '../dtos/schedule.type.js';
import { TemporalSchedulesService } from './temporal-schedules.service.js';

/** `nextFireTimes` and `recentActions` list at most this many. */
export const SCHEDULE_TIMES_SHOWN = 5;

/**
 * Reads schedules: rows from Postgres, and what Temporal reports about their Temporal Schedule (next fire
 * times, recent actions). Writes go through `ScheduleCommandsService`.
 */
@Injectable()
export class ScheduleQueriesService {
  /**
   * Temporal's description per row object, so `nextFireTimes` and `recentActions` of one GraphQL result
   * share one call. Keyed weakly, so an entry goes away with the result that loaded the row, and a later
   * request (a new row object) asks Temporal again.
   */
  private readonly descriptions = new WeakMap<Schedule, Promise<ScheduleDescription | null>>();

  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    private readonly agents: AgentsService,
    private readonly temporal: TemporalSchedulesService,
  ) {}

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
   * @param argumentName the GraphQL argument `id` came from, used as the issue path
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
   * The last actions Temporal took (at most {@link SCHEDULE_TIMES_SHOWN}, newest first); empty when Temporal
   * has no schedule for it.
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
   * Temporal's description of `row`'s Temporal Schedule (null when Temporal has none), fetched once per row
   * object (see {@link descriptions}).
   *
   * @throws Temporal's error when it cannot be reached (the rejected promise is cached like a result)
   */
  private describe(row: Schedule): Promise<ScheduleDescription | null> {
    let description = this.descriptions.get(row);
    if (!description) {
      description = this.temporal.describe(row.id);
      this.descriptions.set(row, description);
    }
    return description;
  }
}
