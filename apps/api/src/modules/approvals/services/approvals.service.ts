import { Inject, Injectable } from '@nestjs/common';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { APPROVAL_DECISION_SIGNAL, type ApprovalDecision } from '@trellis/dag-interpreter';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { assertIntInRange, assertUuid } from '../../../common/validation/argument-guards.js';
import {
  type Approval,
  ApprovalStatus,
  PRISMA,
  type TrellisPrismaClient,
} from '../../../infrastructure/prisma/prisma-client.js';
import { TEMPORAL_CLIENT } from '../../../infrastructure/temporal/temporal.module.js';

/** Largest number of approvals one `approvals` query returns. */
export const MAX_APPROVALS_PAGE_SIZE = 500;
/** Longest approver comment, in UTF-16 code units. */
const MAX_COMMENT_LENGTH = 2_000;
/** Bound on the signal call, which runs while the approval row is locked (ms). */
const SIGNAL_TIMEOUT_MS = 5_000;
/** Interactive transaction timeout: covers the signal plus the two statements (ms). */
const DECISION_TRANSACTION_TIMEOUT_MS = SIGNAL_TIMEOUT_MS + 5_000;

/** Lists approvals and records people's decisions. Approvals are opened and expired by the worker. */
@Injectable()
export class ApprovalsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /**
   * Approvals in `status`, oldest first (`createdAt asc, id asc`).
   *
   * @param first at most this many, 1–{@link MAX_APPROVALS_PAGE_SIZE}
   * @throws TrellisException `BAD_USER_INPUT` when `first` is out of range
   */
  list(status: ApprovalStatus, first: number): Promise<Approval[]> {
    assertIntInRange(first, 'first', 1, MAX_APPROVALS_PAGE_SIZE);
    return this.prisma.approval.findMany({
      where: { status },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: first,
    });
  }

  /**
   * Records a decision and delivers it to the run's workflow, atomically: in one transaction the row is
   * moved from PENDING (a conditional update, which also locks it against the worker's timeout path doing
   * the same to TIMED_OUT) and the `approvalDecision` signal is sent; if the signal fails, the update is
   * rolled back and the error surfaces.
   *
   * @throws TrellisException `BAD_USER_INPUT` (malformed id, comment too long), `NOT_FOUND`,
   *   `CONFLICT` when the approval is no longer PENDING (the message names its status) or its run's
   *   workflow has already finished; any other signal failure is rethrown as is
   */
  async decide(id: string, approve: boolean, comment: string | null | undefined): Promise<Approval> {
    assertUuid(id, 'id');
    if (comment != null && comment.length > MAX_COMMENT_LENGTH) {
      throw TrellisException.badUserInput('Invalid argument comment', [
        { path: 'comment', message: `must be at most ${MAX_COMMENT_LENGTH} characters` },
      ]);
    }
    const decidedAt = new Date();
    const status = approve ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED;
    return this.prisma.$transaction(
      async (tx) => {
        const { count } = await tx.approval.updateMany({
          where: { id, status: ApprovalStatus.PENDING },
          data: { status, comment: comment ?? null, decidedAt },
        });
        const approval = await tx.approval.findUnique({ where: { id } });
        if (!approval) throw TrellisException.notFound('Approval', id);
        if (count === 0) throw TrellisException.conflict(`Approval ${id} is already ${approval.status}`);
        const decision: ApprovalDecision = {
          approvalId: approval.id,
          nodeId: approval.nodeId,
          approved: approve,
          comment: approval.comment,
          decidedAt: decidedAt.toISOString(),
        };
        try {
          await this.temporal.withDeadline(Date.now() + SIGNAL_TIMEOUT_MS, () =>
            this.temporal.workflow.getHandle(approval.runId).signal(APPROVAL_DECISION_SIGNAL, decision),
          );
        } catch (error) {
          // Throwing rolls the update back: nobody can wait for this decision any more.
          if (error instanceof WorkflowNotFoundError) {
            throw TrellisException.conflict(`Run ${approval.runId} of approval ${id} is no longer running`);
          }
          throw error;
        }
        return approval;
      },
      { timeout: DECISION_TRANSACTION_TIMEOUT_MS },
    );
  }
}
