import { Inject, Injectable } from '@nestjs/common';
import type { Prisma } from '@trellis/db';
import { toErrorInfo } from '../../../common/graphql/error-info.type.js';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { assertIntInRange, assertUuid } from '../../../common/validation/argument-guards.js';
import {
  readDag,
  type Agent,
  type AgentVersion,
  type NodeRun,
  NodeStatus,
  PRISMA,
  type Run,
  type RunStatus,
  type TrellisPrismaClient,
} from '../../../infrastructure/prisma/prisma-client.js';
import { toCompensation } from '../dtos/compensation.type.js';
import type { NodeRunType } from '../dtos/node-run.type.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../../common/pagination/keyset-cursor.js';
import type { NodeAttemptType } from '../dtos/node-attempt.type.js';
import { ATTEMPT_EVENT_TYPES, attemptsFromEvents } from './node-attempts.js';
import type { RunFilterInput } from '../dtos/run-filter.input.js';
import type { RunStatsType } from '../dtos/run-stats.type.js';
import { scopedWorkspaceId } from '../../../infrastructure/prisma/workspace-scope.js';

/** Page size of `runs` when `first` is omitted. */
export const DEFAULT_RUNS_PAGE_SIZE = 20;
/** Largest page `runs` returns, bounding the query's cost. */
export const MAX_RUNS_PAGE_SIZE = 100;
/** `Run.childRuns` returns at most this many when `first` is omitted. */
export const DEFAULT_CHILD_RUNS_LIMIT = 100;
/** Largest `first` of `Run.childRuns`: a `forEach` over a subflow can start one child run per item. */
export const MAX_CHILD_RUNS_LIMIT = 1_000;

/** Longest `inputContains` search text (characters). */
export const MAX_INPUT_SEARCH_LENGTH = 200;
/**
 * An input search reads at most this many matching runs, newest first: the text search scans JSON, which
 * no index serves, so the bound keeps one query's cost flat however many runs a workspace keeps.
 */
export const MAX_INPUT_SEARCH_MATCHES = 10_000;

/** Filters and paging of {@link RunsService.list}. */
export interface RunListQuery {
  agentId?: string | null;
  status?: RunStatus | null;
  /** The `filter` argument: ANDed with the arguments above. */
  filter?: RunFilterInput | null;
  /** Only runs started by this run's `subflow` nodes or agent tools. */
  parentRunId?: string | null;
  /** Page size, 1–{@link MAX_RUNS_PAGE_SIZE}; default {@link DEFAULT_RUNS_PAGE_SIZE}. */
  first?: number | null;
  /** Cursor of the last run of the previous page. */
  after?: string | null;
}

/** A page of runs, newest first, with the cursor of each. */
export interface RunPage {
  edges: { cursor: string; node: Run }[];
  hasNextPage: boolean;
  totalCount: number;
}

/** Reads runs and their nodes. Status changes are written by the worker, not here. */
@Injectable()
export class RunsService {
  constructor(@Inject(PRISMA) private readonly prisma: TrellisPrismaClient) {}

  /**
   * @throws TrellisException `BAD_USER_INPUT` for a malformed id, `NOT_FOUND` for an unknown run
   */
  async getById(id: string, argumentName = 'id'): Promise<Run> {
    assertUuid(id, argumentName);
    const run = await this.prisma.run.findUnique({ where: { id } });
    if (!run) throw TrellisException.notFound('Run', id);
    return run;
  }

  /**
   * Runs ordered by `startedAt desc, id desc` (keyset pagination, so pages stay stable while new runs start).
   *
   * @throws TrellisException `BAD_USER_INPUT` for a malformed agent id, parent run id, page size, cursor or
   *   filter (with the field's path, `filter.version`)
   */
  async list(query: RunListQuery): Promise<RunPage> {
    const first = query.first ?? DEFAULT_RUNS_PAGE_SIZE;
    assertIntInRange(first, 'first', 1, MAX_RUNS_PAGE_SIZE);
    if (query.agentId != null) assertUuid(query.agentId, 'agentId');
    if (query.parentRunId != null) assertUuid(query.parentRunId, 'parentRunId');
    const filter: Prisma.RunWhereInput = {
      AND: [
        {
          ...(query.agentId != null && { agentId: query.agentId }),
          ...(query.parentRunId != null && { parentRunId: query.parentRunId }),
          ...(query.status != null && { status: query.status }),
        },
        await this.filterWhere(query.filter ?? {}),
      ],
    };
    const after = query.after != null ? decodeKeysetCursor(query.after, 'after') : null;
    const position = after
      ? { OR: [{ startedAt: { lt: after.at } }, { startedAt: after.at, id: { lt: after.id } }] }
      : {};
    const [rows, totalCount] = await Promise.all([
      this.prisma.run.findMany({
        where: { ...filter, ...position },
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        take: first + 1,
      }),
      this.prisma.run.count({ where: filter }),
    ]);
    const page = rows.slice(0, first);
    return {
      edges: page.map((run) => ({ cursor: encodeKeysetCursor({ at: run.startedAt, id: run.id }), node: run })),
      hasNextPage: rows.length > first,
      totalCount,
    };
  }

  /** The `filter` argument as a Prisma condition; an input search becomes the ids it matched. */
  private async filterWhere(filter: RunFilterInput): Promise<Prisma.RunWhereInput> {
    if (filter.agentId != null) assertUuid(filter.agentId, 'filter.agentId');
    if (filter.scheduleId != null) assertUuid(filter.scheduleId, 'filter.scheduleId');
    if (filter.version != null) {
      assertIntInRange(filter.version, 'filter.version', 1, 2_147_483_647);
      if (filter.agentId == null) {
        throw TrellisException.badUserInput('Invalid argument filter', [{ path: 'filter.version', message: 'needs filter.agentId: version numbers are per agent' }]);
      }
    }
    const where: Prisma.RunWhereInput = {
      ...(filter.agentId != null && { agentId: filter.agentId }),
      ...(filter.version != null && { agentVersion: { version: filter.version } }),
      ...(filter.statuses?.length && { status: { in: filter.statuses } }),
      ...(filter.triggers?.length && { trigger: { in: filter.triggers } }),
      ...(filter.scheduleId != null && { scheduleId: filter.scheduleId }),
      ...((filter.startedAfter != null || filter.startedBefore != null) && {
        startedAt: { ...(filter.startedAfter != null && { gte: filter.startedAfter }), ...(filter.startedBefore != null && { lt: filter.startedBefore }) },
      }),
    };
    const search = filter.inputContains?.trim();
    if (filter.inputContains == null) return where;
    if (!search || search.length > MAX_INPUT_SEARCH_LENGTH) {
      throw TrellisException.badUserInput('Invalid argument filter', [
        { path: 'filter.inputContains', message: `must be 1–${MAX_INPUT_SEARCH_LENGTH} characters` },
      ]);
    }
    // Raw SQL escapes the workspace-scope extension: filter by hand (null under the system scope).
    const workspaceId = scopedWorkspaceId('runs input search');
    const pattern = `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    const matches = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM runs
      WHERE (${workspaceId}::uuid IS NULL OR workspace_id = ${workspaceId}::uuid) AND input::text ILIKE ${pattern}
      ORDER BY started_at DESC LIMIT ${MAX_INPUT_SEARCH_MATCHES}`;
    return { ...where, id: { in: matches.map((match) => match.id) } };
  }

  /** The agent's most recently started run, or null. */
  lastRunOf(agentId: string): Promise<Run | null> {
    return this.prisma.run.findFirst({ where: { agentId }, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] });
  }

  /** Counts of the agent's runs started at or after `since`, by outcome (one grouped query on `(agent_id, started_at)`). */
  async statsOf(agentId: string, since: Date): Promise<RunStatsType> {
    const groups = await this.prisma.run.groupBy({ by: ['status'], where: { agentId, startedAt: { gte: since } }, _count: { _all: true } });
    const count = (...statuses: RunStatus[]) => groups.filter((group) => statuses.includes(group.status)).reduce((sum, group) => sum + group._count._all, 0);
    const finished = count('SUCCEEDED', 'FAILED', 'CANCELLED');
    return {
      runs: count('RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELLED'),
      succeeded: count('SUCCEEDED'),
      failed: count('FAILED'),
      active: count('RUNNING', 'WAITING'),
      successRate: finished === 0 ? null : count('SUCCEEDED') / finished,
    };
  }

  /** The run's agent. Prisma batches these `findUnique` calls within one tick, so lists avoid N+1 round trips. */
  agentOf(run: Run): Promise<Agent> {
    return this.prisma.agent.findUniqueOrThrow({ where: { id: run.agentId } });
  }

  /**
   * A run linked from another row (`parentRunId`, `retryOfRunId`, `childRunId`), or null when there is no
   * link or the linked run was deleted. Batched like {@link agentOf}.
   */
  async findLinked(id: string | null): Promise<Run | null> {
    if (id === null) return null;
    return this.prisma.run.findUnique({ where: { id } });
  }

  /**
   * Runs started by this run's `subflow` nodes or agent tools, oldest first (`startedAt asc, id asc`).
   *
   * @param first at most this many, 1–{@link MAX_CHILD_RUNS_LIMIT}
   * @throws TrellisException `BAD_USER_INPUT` when `first` is out of range
   */
  childRunsOf(run: Run, first: number): Promise<Run[]> {
    assertIntInRange(first, 'first', 1, MAX_CHILD_RUNS_LIMIT);
    return this.prisma.run.findMany({
      where: { parentRunId: run.id },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
      take: first,
    });
  }

  /** The version the run executes. */
  versionOf(run: Run): Promise<AgentVersion> {
    return this.prisma.agentVersion.findUniqueOrThrow({ where: { id: run.agentVersionId } });
  }

  /**
   * The run's nodes in the DAG's order: stored `node_runs` rows where they exist, and a PENDING
   * placeholder (0 attempts, not reused, no compensation) for nodes the workflow has not reached yet.
   */
  /** The attempts of one node of a run, from its run events (see `attemptsFromEvents`). */
  async attemptsOf(runId: string, nodeId: string, startedAt: Date | null, finishedAt: Date | null): Promise<NodeAttemptType[]> {
    const events = await this.prisma.runEvent.findMany({
      where: { runId, nodeId, type: { in: [...ATTEMPT_EVENT_TYPES] } },
      orderBy: { sequence: 'asc' },
      select: { type: true, createdAt: true, data: true },
    });
    return attemptsFromEvents(events, startedAt, finishedAt);
  }

  async listNodes(run: Run): Promise<NodeRunType[]> {
    const [version, rows] = await Promise.all([
      this.versionOf(run),
      this.prisma.nodeRun.findMany({ where: { runId: run.id } }),
    ]);
    const rowsByNodeId = new Map(rows.map((row) => [row.nodeId, row]));
    const dag = readDag(version);
    const nodes: NodeRunType[] = dag.nodes.map((node) => {
      const row = rowsByNodeId.get(node.id);
      rowsByNodeId.delete(node.id);
      if (!row) {
        return {
          nodeId: node.id,
          type: node.type,
          status: NodeStatus.PENDING,
          attempts: 0,
          output: null,
          error: null,
          startedAt: null,
          finishedAt: null,
          reused: false,
          compensation: null,
          childRunId: null,
          runId: run.id,
        };
      }
      return toNodeRun(row);
    });
    // Rows for ids missing from the DAG should not exist; show them last rather than hide them.
    for (const row of rowsByNodeId.values()) nodes.push(toNodeRun(row));
    return nodes;
  }
}

/** A stored row with its JSON columns read into their GraphQL shapes. */
function toNodeRun(row: NodeRun): NodeRunType {
  return { ...row, error: toErrorInfo(row.error), compensation: toCompensation(row.compensation) };
}
