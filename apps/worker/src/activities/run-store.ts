/**
 * Bookkeeping activities: the worker, not the API, writes a run's progress to Postgres, so a
 * run's record is complete even when the API was down while it ran. Every write is idempotent,
 * because Temporal may deliver an activity more than once.
 */
import { approvalDecidedEvent, lockRunForEvents, recordRunEvents, type PrismaClient } from '@trellis/db';
import type {
  ApprovalExpiry,
  DagActivities,
  NodeState,
  RunSyncRequest,
} from '@trellis/dag-interpreter';
import { ApplicationFailure } from '@temporalio/activity';
import { jsonColumn, optionalDate } from './json.js';
import { deriveSyncEvents } from './run-event-transitions.js';

type RunStoreActivities = Pick<DagActivities, 'syncRun' | 'expireApproval'>;

/** Builds the bookkeeping activities over a Prisma client. */
export function createRunStoreActivities(deps: { prisma: PrismaClient }): RunStoreActivities {
  const { prisma } = deps;
  return {
    /**
     * Applies one batch of run, node and approval changes in a single transaction. The run row is
     * created from `start` only when missing (the API may have created it with more facts, such as the
     * idempotency key), with `trigger` (default `API`), `parentRunId` and `retryOfRunId`.
     *
     * The same transaction appends the run events the batch's transitions produce (see
     * `deriveSyncEvents`), comparing with the stored state read under the run's row lock, so a retried
     * batch adds none. Approvals are written before that lock is taken: the API's decision locks the
     * approval row and then the run row, and the same order here rules out deadlocks.
     */
    async syncRun(request: RunSyncRequest): Promise<void> {
      // Rows created here are stamped with the run's workspace; Postgres refuses one that differs from
      // the agent's or the run's, and the run row lock below checks the run itself.
      const inWorkspace = request.workspaceId === undefined ? {} : { workspaceId: request.workspaceId };
      await prisma.$transaction(async (tx) => {
        if (request.start) {
          const version = await tx.agentVersion.findUniqueOrThrow({
            where: { id: request.start.agentVersionId, ...inWorkspace },
            select: { agentId: true },
          });
          await tx.run.upsert({
            where: { id: request.runId },
            create: {
              id: request.runId,
              ...inWorkspace,
              agentId: version.agentId,
              agentVersionId: request.start.agentVersionId,
              input: jsonColumn(request.start.input ?? {}) as object,
              startedAt: new Date(request.start.startedAt),
              trigger: request.start.trigger ?? 'API',
              parentRunId: request.start.parentRunId,
              retryOfRunId: request.start.retryOfRunId,
              // Left out when the schedule was deleted while this run was starting (the foreign key would refuse it).
              scheduleId: request.start.scheduleId
                ? (await tx.schedule.findUnique({ where: { id: request.start.scheduleId }, select: { id: true } }))?.id
                : undefined,
              workflowId: request.start.workflowId,
            },
            update: {},
          });
        }
        // A retried sync finds its approvals already there and leaves them (and any decision) alone;
        // only the ones inserted now are new.
        const approvals = request.approvals ?? [];
        const newApprovals = approvals.length === 0 ? [] : await tx.approval.createManyAndReturn({
          data: approvals.map((approval) => ({
            id: approval.approvalId,
            ...inWorkspace,
            runId: approval.runId,
            nodeId: approval.nodeId,
            message: approval.message,
            details: jsonColumn(approval.details),
            dueAt: optionalDate(approval.dueAt),
            assignees: (approval.assignees ?? []).map(normaliseAssignee),
            allowSelfApproval: approval.allowSelfApproval ?? true,
            form: jsonColumn(approval.form),
            escalateAt: optionalDate(approval.escalateAt),
          })),
          skipDuplicates: true,
          select: { id: true },
        });
        for (const escalation of request.escalations ?? []) {
          await tx.approval.updateMany({
            where: { id: escalation.approvalId, escalatedAt: null },
            data: { escalatedAt: new Date(escalation.escalatedAt) },
          });
        }
        const locked = await lockRunForEvents(tx, request.runId);
        if (!locked) throw new Error(`Run ${request.runId} does not exist`);
        if (request.workspaceId !== undefined && locked.workspaceId !== request.workspaceId) {
          throw ApplicationFailure.nonRetryable(
            `Run ${request.runId} belongs to workspace ${locked.workspaceId}, not ${request.workspaceId}`,
            'WorkspaceMismatch',
          );
        }
        const storedNodes = await tx.nodeRun.findMany({
          where: { runId: request.runId, nodeId: { in: request.nodes.map((node) => node.nodeId) } },
          select: { nodeId: true, status: true },
        });
        const started = request.start
          ? (await tx.runEvent.count({ where: { runId: request.runId, type: 'run.started' } })) > 0
          : true;
        for (const node of request.nodes) {
          await tx.nodeRun.upsert({
            where: { runId_nodeId: { runId: request.runId, nodeId: node.nodeId } },
            create: { runId: request.runId, ...nodeColumns(node) },
            update: nodeColumns(node),
          });
        }
        if (request.run) {
          await tx.run.update({
            where: { id: request.runId },
            data: {
              status: request.run.status,
              output: jsonColumn(request.run.output),
              error: jsonColumn(request.run.error),
              finishedAt: optionalDate(request.run.finishedAt),
            },
          });
        }
        const events = deriveSyncEvents(
          {
            runStatus: locked.status,
            started,
            nodeStatuses: new Map(storedNodes.map((node) => [node.nodeId, node.status])),
            newApprovalIds: new Set(newApprovals.map((approval) => approval.id)),
          },
          request,
        );
        const newStatus = request.run?.status ?? locked.status;
        const statusChanged = newStatus !== locked.status || events.some((event) => event.type === 'run.started');
        await recordRunEvents(tx, request.runId, events, statusChanged ? { status: newStatus } : {});
      });
    },

    /**
     * Moves a PENDING approval to TIMED_OUT, unless a person decided first: the same conditional
     * update the API's decision makes, so Postgres decides which one wins.
     */
    async expireApproval({ approvalId }: { approvalId: string }): Promise<ApprovalExpiry> {
      const now = new Date();
      const expired = await prisma.$transaction(async (tx) => {
        const [approval] = await tx.approval.updateManyAndReturn({
          where: { id: approvalId, status: 'PENDING' },
          data: { status: 'TIMED_OUT', decidedAt: now },
          select: { id: true, runId: true, nodeId: true, status: true },
        });
        if (approval) await recordRunEvents(tx, approval.runId, [approvalDecidedEvent(approval)]);
        return approval !== undefined;
      });
      if (expired) return { status: 'TIMED_OUT', at: now.toISOString() };
      const approval = await prisma.approval.findUniqueOrThrow({ where: { id: approvalId } });
      const decidedAt = (approval.decidedAt ?? now).toISOString();
      if (approval.status === 'TIMED_OUT') return { status: 'TIMED_OUT', at: decidedAt };
      return {
        status: 'DECIDED',
        decision: {
          approvalId,
          nodeId: approval.nodeId,
          approved: approval.status === 'APPROVED',
          comment: approval.comment,
          decidedAt,
          values: (approval.values ?? null) as Record<string, unknown> | null,
          decidedBy: approval.decidedBy,
        },
      };
    },
  };
}

/**
 * A node's columns. Absent optional fields leave the stored value alone on update (`reused` then keeps
 * its default, false, on insert), so a later state that omits them does not erase them.
 */
function nodeColumns(node: NodeState) {
  return {
    nodeId: node.nodeId,
    type: node.type,
    status: node.status,
    attempts: node.attempts,
    output: jsonColumn(node.output),
    error: jsonColumn(node.error),
    reused: node.reused,
    compensation: jsonColumn(node.compensation),
    childRunId: node.childRunId,
    startedAt: optionalDate(node.startedAt),
    finishedAt: optionalDate(node.finishedAt),
  };
}

/**
 * Stores an assignee as the API matches it: emails in lower case (addresses are compared ignoring case),
 * roles as `role:<ROLE>` in upper case, so that "approvals I may decide" is an exact array match.
 */
export function normaliseAssignee(assignee: string): string {
  const trimmed = assignee.trim();
  return /^role:/i.test(trimmed) ? `role:${trimmed.slice(5).trim().toUpperCase()}` : trimmed.toLowerCase();
}
