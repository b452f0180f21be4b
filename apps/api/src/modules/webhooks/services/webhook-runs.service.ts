import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { TrellisException, TrellisExceptionCode } from '../../../common/exceptions/trellis-exception.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';
import {
  PRISMA,
  type Run,
  RunStatus,
  RunTrigger,
  type TrellisPrismaClient,
} from '../../../infrastructure/prisma/prisma-client.js';
import { TEMPORAL_CLIENT } from '../../../infrastructure/temporal/temporal.module.js';
import { RunCommandsService } from '../../runs/services/run-commands.service.js';
import { WebhookError } from '../webhook-error.js';
import { AuditLog } from '../../audit/services/audit-log.service.js';

/** Statuses after which a run's outcome no longer changes. */
const FINISHED_STATUSES: ReadonlySet<RunStatus> = new Set([RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED]);

/** The 200 answer of a waited-for call. */
export type FinishedRunBody =
  | { runId: string; status: 'SUCCEEDED'; output: unknown }
  | { runId: string; status: 'FAILED'; error: unknown }
  | { runId: string; status: 'CANCELLED' };

/** Starts webhook runs through the runs module's commands and optionally waits for them. */
@Injectable()
export class WebhookRunsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly commands: RunCommandsService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Starts a run of the agent's live version with trigger `WEBHOOK` (or returns the run an earlier call
   * with the same idempotency key started).
   *
   * @throws WebhookError 422 `INVALID_INPUT` (input fails `inputSchema`, with `issues`), 404 `NOT_FOUND`
   *   (agent or its live version gone), 409 `CONFLICT` (a concurrent call with the same key is starting it)
   */
  async start(agentId: string, input: unknown, idempotencyKey: string | null): Promise<Run> {
    try {
      const run = await this.commands.start({ agentId, input, idempotencyKey, trigger: RunTrigger.WEBHOOK });
      await this.audit.record({ action: 'run.start', actor: { type: 'WEBHOOK', id: agentId }, targetType: 'run', targetId: run.id, metadata: { agentId } });
      return run;
    } catch (error) {
      if (!(error instanceof TrellisException)) throw error;
      switch (error.code) {
        case TrellisExceptionCode.BAD_USER_INPUT:
          throw new WebhookError(422, 'INVALID_INPUT', error.message, error.issues);
        case TrellisExceptionCode.NOT_FOUND:
          throw new WebhookError(404, 'NOT_FOUND', error.message);
        case TrellisExceptionCode.CONFLICT:
          throw new WebhookError(409, 'CONFLICT', error.message);
        case TrellisExceptionCode.TOO_MANY_REQUESTS:
          throw new WebhookError(429, 'TOO_MANY_REQUESTS', error.message, undefined, Number(error.extensions?.retryAfterSeconds ?? 60));
        default:
          throw error;
      }
    }
  }

  /**
   * Waits up to `timeoutMs` for the run's workflow to close, then reads the run's row (the worker records the
   * outcome before the workflow closes).
   *
   * @returns the 200 answer, or null when the run has not finished in time (or waiting failed: the run was
   *   started all the same, so the caller answers 202)
   */
  async waitForOutcome(run: Run, timeoutMs: number): Promise<FinishedRunBody | null> {
    try {
      await this.temporal.withDeadline(Date.now() + timeoutMs, () =>
        this.temporal.workflow.getHandle(run.workflowId ?? run.id).result(),
      );
    } catch (error) {
      // A failed or cancelled workflow throws here too; the row tells which. Timeouts land here as well.
      this.logger.debug({ err: error, runId: run.id }, 'webhook wait ended without a result');
    }
    const current = await this.prisma.run.findUnique({ where: { id: run.id } });
    if (!current || !FINISHED_STATUSES.has(current.status)) return null;
    switch (current.status) {
      case RunStatus.SUCCEEDED:
        return { runId: current.id, status: 'SUCCEEDED', output: current.output ?? null };
      case RunStatus.FAILED:
        return { runId: current.id, status: 'FAILED', error: current.error ?? null };
      default:
        return { runId: current.id, status: 'CANCELLED' };
    }
  }
}
