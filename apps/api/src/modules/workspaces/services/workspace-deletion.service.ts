import { Inject, Injectable } from '@nestjs/common';
import { type Client, ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { assertUuid } from '../../../common/validation/argument-guards.js';
import { PRISMA, RunStatus, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { TEMPORAL_CLIENT } from '../../../infrastructure/temporal/temporal.module.js';
import { AuditLog } from '../../audit/services/audit-log.service.js';
import { currentCaller } from '../../identity/access/current-caller.js';
import { TEMPORAL_CALL_TIMEOUT_MS } from '../../runs/services/run-launcher.service.js';
import { temporalScheduleId } from '../../schedules/services/schedule-ids.js';

/**
 * Deletes a workspace and everything in it. Temporal is cleaned first, so nothing keeps running for rows
 * that are gone: the workspace's Temporal Schedules are deleted and its open runs' workflows terminated;
 * then one `DELETE` removes the workspace, and Postgres' cascades its agents, versions, runs, approvals,
 * schedules, memberships, keys and invitations. The audit trail stays (audit events do not reference the
 * workspace row). A failure before the delete leaves the workspace in place; running the mutation again
 * finishes the job.
 */
@Injectable()
export class WorkspaceDeletionService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly audit: AuditLog,
  ) {}

  /**
   * @param id the workspace the request acts in, repeated as a confirmation
   * @returns the deleted workspace's id
   * @throws TrellisException `BAD_USER_INPUT` (path `id`) when `id` is not the request's workspace; the
   *   Temporal client's error when it cannot be reached (nothing is deleted)
   */
  async delete(id: string): Promise<string> {
    assertUuid(id, 'id');
    const { workspaceId } = currentCaller();
    if (id !== workspaceId) {
      throw TrellisException.badUserInput('Confirm with the id of the workspace the request acts in', [
        { path: 'id', message: 'must be the id of the workspace the request acts in (Trellis-Workspace header)' },
      ]);
    }
    const schedules = await this.prisma.schedule.findMany({ select: { id: true } });
    for (const schedule of schedules) {
      await this.withDeadline(() => this.temporal.schedule.getHandle(temporalScheduleId(schedule.id)).delete()).catch(ignore(ScheduleNotFoundError));
    }
    const open = await this.prisma.run.findMany({ where: { status: { in: [RunStatus.RUNNING, RunStatus.WAITING] } }, select: { id: true, workflowId: true } });
    for (const run of open) {
      await this.withDeadline(() => this.temporal.workflow.getHandle(run.workflowId ?? run.id).terminate('workspace deleted')).catch(ignore(WorkflowNotFoundError));
    }
    const workspace = await this.prisma.workspace.delete({ where: { id }, select: { name: true } });
    await this.audit.record({
      action: 'workspace.delete',
      targetType: 'workspace',
      targetId: id,
      metadata: { name: workspace.name, schedules: schedules.length, terminatedRuns: open.length },
    });
    return id;
  }

  private withDeadline<T>(work: () => Promise<T>): Promise<T> {
    return this.temporal.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, work);
  }
}

/** A catch handler that swallows errors of `type` (already gone) and rethrows the rest. */
function ignore(type: abstract new (...args: never[]) => Error) {
  return (error: unknown): void => {
    if (!(error instanceof type)) throw error;
  };
}
