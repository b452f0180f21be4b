import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { DAG_WORKFLOW_TYPE, type Dag, type DagWorkflowInput, type ReusedNodeOutput, workspaceSearchAttributes } from '@trellis/dag-interpreter';
import type { Logger } from 'pino';
import { API_CONFIG, type ApiConfig } from '../../../infrastructure/config/api-config.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';
import {
  PRISMA,
  type PrismaJson,
  type Run,
  RunStatus,
  type RunTrigger,
  type TrellisPrismaClient,
} from '../../../infrastructure/prisma/prisma-client.js';
import { TEMPORAL_CLIENT } from '../../../infrastructure/temporal/temporal.module.js';
import { currentRequestContext } from '../../identity/access/request-context.js';
import { RateLimiterService } from '../../../common/rate-limit/rate-limiter.service.js';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { scopedWorkspaceId } from '../../../infrastructure/prisma/workspace-scope.js';

/** Bound on each Temporal call, so a stalled server fails the request instead of hanging it (ms). */
export const TEMPORAL_CALL_TIMEOUT_MS = 10_000;

/** A run to create and start: everything the `runs` row and the {@link DagWorkflowInput} need. */
export interface NewRun {
  agentId: string;
  agentVersionId: string;
  /** The version's DAG, pinned in the workflow input so replays never read mutable state. */
  dag: Dag;
  /** The run's input, already validated against the DAG's `inputSchema`. */
  input: unknown;
  trigger: RunTrigger;
  idempotencyKey?: string | null;
  /** `retryRun`: the failed run this one retries. */
  retryOfRunId?: string;
  /** `retryRun`: recorded outputs the workflow reuses instead of executing those nodes, by node id. */
  reuse?: Record<string, ReusedNodeOutput>;
}

/**
 * Creates a run's row and starts its workflow, the one way runs enter the system from the API
 * (`startRun`, `retryRun`). The workflow id is the run id.
 */
@Injectable()
export class RunLauncher {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly limiter: RateLimiterService,
  ) {}

  /**
   * Stores a RUNNING run, then starts `dagWorkflow` for it. If the workflow cannot be started, the row is
   * deleted again and the error rethrown, so no run exists without a workflow.
   *
   * @returns the stored run
   * @throws the Prisma error of the insert unchanged (callers handle idempotency-key collisions, `P2002`),
   *   or the Temporal client's error when the workflow could not be started within
   *   {@link TEMPORAL_CALL_TIMEOUT_MS}
   */
  async launch(request: NewRun): Promise<Run> {
    await this.limitStarts(request.dag);
    // Who asked, for approvals that refuse self-approval; webhooks and links have no principal.
    const principal = currentRequestContext()?.principal;
    const run = await this.prisma.run.create({
      data: {
        id: randomUUID(),
        agentId: request.agentId,
        agentVersionId: request.agentVersionId,
        status: RunStatus.RUNNING,
        trigger: request.trigger,
        input: request.input as PrismaJson,
        idempotencyKey: request.idempotencyKey ?? null,
        retryOfRunId: request.retryOfRunId ?? null,
        startedByUserId: principal?.kind === 'USER' ? principal.userId : null,
        startedByApiKeyId: principal?.kind === 'API_KEY' ? principal.apiKeyId : null,
      },
    });

    const workflowInput: DagWorkflowInput = {
      runId: run.id,
      workspaceId: run.workspaceId,
      agentVersionId: request.agentVersionId,
      dag: request.dag,
      input: request.input,
      trigger: request.trigger,
      ...(request.retryOfRunId !== undefined && { retryOfRunId: request.retryOfRunId }),
      ...(request.reuse !== undefined && { reuse: request.reuse }),
    };
    try {
      await this.temporal.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        this.temporal.workflow.start(DAG_WORKFLOW_TYPE, {
          workflowId: run.id,
          taskQueue: this.config.taskQueue,
          args: [workflowInput],
          ...workspaceSearchAttributes(run.workspaceId),
        }),
      );
    } catch (error) {
      await this.prisma.run.delete({ where: { id: run.id } }).catch((cleanupError: unknown) => {
        this.logger.error({ err: cleanupError, runId: run.id }, 'could not delete a run whose workflow failed to start');
      });
      throw error;
    }
    return run;
  }

  /**
   * Counts the start against its workspace's limit for DAGs like this one (see `ApiLimits.runStartsPerMinute`:
   * by the number of `agent` nodes, which call models), shared by every API process.
   *
   * @throws TrellisException `TOO_MANY_REQUESTS` with `retryAfterSeconds`
   */
  private async limitStarts(dag: Dag): Promise<void> {
    const workspaceId = scopedWorkspaceId('run start limit');
    if (workspaceId === null) return;
    const tier = runStartTier(dag);
    const limit = this.config.limits.runStartsPerMinute[tier];
    const decision = await this.limiter.take(`runs:start:${workspaceId}:${tier}`, { limit, windowMs: 60_000 });
    if (!decision.allowed) {
      throw TrellisException.tooManyRequests(
        `This workspace started ${limit} runs of ${TIER_DESCRIPTIONS[tier]} in the last minute (TRELLIS_RUN_START_LIMITS); retry in ${decision.retryAfterSeconds} seconds`,
        decision.retryAfterSeconds,
      );
    }
  }
}

/** How the start limits name a DAG, by its `agent` nodes. */
type RunStartTier = keyof ApiConfig['limits']['runStartsPerMinute'];

const TIER_DESCRIPTIONS: Record<RunStartTier, string> = {
  plain: 'agents without agent nodes',
  fewAgents: 'agents with one or two agent nodes',
  manyAgents: 'agents with three or more agent nodes',
};

/** The start tier of `dag`: its `agent` nodes, those of inline `forEach` bodies included. */
export function runStartTier(dag: Dag): RunStartTier {
  const count = (nodes: readonly { type: string; config?: unknown }[]): number =>
    nodes.reduce((sum, node) => {
      const body = node.type === 'forEach' ? (node.config as { nodes?: { type: string }[] } | undefined)?.nodes : undefined;
      return sum + (node.type === 'agent' ? 1 : 0) + (body ? count(body) : 0);
    }, 0);
  const agents = count(dag.nodes);
  return agents === 0 ? 'plain' : agents <= 2 ? 'fewAgents' : 'manyAgents';
}
