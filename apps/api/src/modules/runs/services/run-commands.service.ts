import { Inject, Injectable } from '@nestjs/common';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { validateRunInput } from '@trellis/dag-interpreter';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { isUniqueConstraintViolation } from '../../../common/prisma/prisma-errors.js';
import { assertIntInRange, requireText } from '../../../common/validation/argument-guards.js';
import {
  readDag,
  type AgentVersion,
  PRISMA,
  type Run,
  RunStatus,
  RunTrigger,
  type TrellisPrismaClient,
} from '../../../infrastructure/prisma/prisma-client.js';
import { TEMPORAL_CLIENT } from '../../../infrastructure/temporal/temporal.module.js';
import { AgentsService } from '../../agents/services/agents.service.js';
import { RunLauncher, TEMPORAL_CALL_TIMEOUT_MS } from './run-launcher.service.js';
import { RunsService } from './runs.service.js';

/** Longest idempotency key, in UTF-16 code units. */
const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/** A run in one of these states can no longer be cancelled. */
const FINISHED_STATUSES: ReadonlySet<RunStatus> = new Set([RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED]);

/** Arguments of {@link RunCommandsService.start}. */
export interface StartRunRequest {
  agentId: string;
  /** The run's input; null or absent means `{}`. */
  input?: unknown;
  /** Version number to run; absent means the agent's live version. */
  version?: number | null;
  /** Deduplicates retries: the same key for the same agent always returns the same run. */
  idempotencyKey?: string | null;
  /** What starts the run (`WEBHOOK` for `POST /hooks/:agentId`); default `API`. */
  trigger?: RunTrigger;
}

/** Starts and cancels runs: the `runs` row in Postgres plus the generic DAG workflow in Temporal. */
@Injectable()
export class RunCommandsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly agents: AgentsService,
    private readonly runs: RunsService,
    private readonly launcher: RunLauncher,
  ) {}

  /**
   * Validates the input against the version's `inputSchema`, then stores a RUNNING run (trigger
   * `request.trigger`, default API) and
   * starts its workflow through {@link RunLauncher.launch}, which deletes the row again if the
   * workflow cannot be started.
   *
   * @returns the new run, or the existing run when `idempotencyKey` was used before for this agent
   * @throws TrellisException `BAD_USER_INPUT` (malformed arguments; input issues with paths `input.…`),
   *   `NOT_FOUND` (agent or version)
   */
  async start(request: StartRunRequest): Promise<Run> {
    const agent = await this.agents.getById(request.agentId, 'agentId');
    const idempotencyKey =
      request.idempotencyKey == null
        ? null
        : requireText(request.idempotencyKey, 'idempotencyKey', MAX_IDEMPOTENCY_KEY_LENGTH);
    if (idempotencyKey !== null) {
      const existing = await this.findByIdempotencyKey(agent.id, idempotencyKey);
      if (existing) return existing;
    }
    const version = await this.resolveVersion(agent.id, agent.liveVersionId, request.version);
    const dag = readDag(version);
    const input = request.input ?? {};
    const issues = dag.inputSchema ? validateRunInput(dag.inputSchema, input) : [];
    if (issues.length > 0) throw TrellisException.badUserInput('Run input does not match the input schema', issues);

    try {
      return await this.launcher.launch({
        agentId: agent.id,
        agentVersionId: version.id,
        dag,
        input,
        trigger: request.trigger ?? RunTrigger.API,
        idempotencyKey,
      });
    } catch (error) {
      if (idempotencyKey === null || !isUniqueConstraintViolation(error)) throw error;
      // A concurrent request with the same key won the insert: return its run.
      const winner = await this.findByIdempotencyKey(agent.id, idempotencyKey);
      if (winner) return winner;
      throw TrellisException.conflict('A run with this idempotency key is being started; retry the request');
    }
  }

  /**
   * Requests cancellation of a run's workflow. The worker records CANCELLED once the workflow stops,
   * so the returned run may still show its previous status.
   *
   * @throws TrellisException `BAD_USER_INPUT` (malformed id), `NOT_FOUND`, `CONFLICT` when the run already finished
   */
  async cancel(id: string): Promise<Run> {
    const run = await this.runs.getById(id);
    if (FINISHED_STATUSES.has(run.status)) throw TrellisException.conflict(`Run ${id} is already ${run.status}`);
    try {
      await this.temporal.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        // Scheduled and child runs have their own workflow ids.
        this.temporal.workflow.getHandle(run.workflowId ?? run.id).cancel(),
      );
    } catch (error) {
      // The workflow finished (or was never started) while the row still said otherwise.
      if (error instanceof WorkflowNotFoundError) throw TrellisException.conflict(`Run ${id} is no longer running`);
      throw error;
    }
    return this.runs.getById(id);
  }

  private findByIdempotencyKey(agentId: string, idempotencyKey: string): Promise<Run | null> {
    return this.prisma.run.findUnique({ where: { agentId_idempotencyKey: { agentId, idempotencyKey } } });
  }

  private async resolveVersion(
    agentId: string,
    liveVersionId: string | null,
    versionNumber: number | null | undefined,
  ): Promise<AgentVersion> {
    if (versionNumber == null) {
      const live = await this.agents.findVersionById(liveVersionId);
      if (!live) throw TrellisException.notFound('Live version of agent', agentId);
      return live;
    }
    assertIntInRange(versionNumber, 'version', 1, 2_147_483_647);
    const version = await this.prisma.agentVersion.findUnique({
      where: { agentId_version: { agentId, version: versionNumber } },
    });
    if (!version) throw TrellisException.notFound(`Version ${versionNumber} of agent`, agentId);
    return version;
  }
}
