/**
 * Bookkeeping activities: the worker, not the API, writes a run's progress to Postgres, so a
 * run's record is complete even when the API was down while it ran. Every write is idempotent,
 * because Temporal may deliver an activity more than once.
 */
import type { PrismaClient } from '@trellis/db';
import type {
  ApprovalExpiry,
  DagActivities,
  NodeState,
  OpenApprovalRequest,
  RunSyncRequest,
} from '@trellis/dag-interpreter';
import { jsonColumn, optionalDate } from './json.js';

type RunStoreActivities = Pick<DagActivities, 'syncRun' | 'openApproval' | 'expireApproval'>;

/** Builds the bookkeeping activities over a Prisma client. */
export function createRunStoreActivities(deps: { prisma: PrismaClient }): RunStoreActivities {
  const { prisma } = deps;
  return {
    /** Applies one batch of run and node state changes in a single transaction. */
    async syncRun(request: RunSyncRequest): Promise<void> {
      await prisma.$transaction(async (tx) => {
        if (request.start) {
          const version = await tx.agentVersion.findUniqueOrThrow({
            where: { id: request.start.agentVersionId },
            select: { agentId: true },
          });
          await tx.run.upsert({
            where: { id: request.runId },
            create: {
              id: request.runId,
              agentId: version.agentId,
              agentVersionId: request.start.agentVersionId,
              input: jsonColumn(request.start.input ?? {}) as object,
              startedAt: new Date(request.start.startedAt),
            },
            update: {},
          });
        }
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
      });
    },

    /** Records a pending approval; a retried call finds it already there. */
    async openApproval(request: OpenApprovalRequest): Promise<void> {
      await prisma.approval.upsert({
        where: { id: request.approvalId },
        create: {
          id: request.approvalId,
          runId: request.runId,
          nodeId: request.nodeId,
          message: request.message,
          dueAt: optionalDate(request.dueAt),
        },
        update: {},
      });
    },

    /**
     * Moves a PENDING approval to TIMED_OUT, unless a person decided first: the same conditional
     * update the API's decision makes, so Postgres decides which one wins.
     */
    async expireApproval({ approvalId }: { approvalId: string }): Promise<ApprovalExpiry> {
      const now = new Date();
      const { count } = await prisma.approval.updateMany({
        where: { id: approvalId, status: 'PENDING' },
        data: { status: 'TIMED_OUT', decidedAt: now },
      });
      if (count === 1) return { status: 'TIMED_OUT', at: now.toISOString() };
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
        },
      };
    },
  };
}

function nodeColumns(node: NodeState) {
  return {
    nodeId: node.nodeId,
    type: node.type,
    status: node.status,
    attempts: node.attempts,
    output: jsonColumn(node.output),
    error: jsonColumn(node.error),
    startedAt: optionalDate(node.startedAt),
    finishedAt: optionalDate(node.finishedAt),
  };
}
