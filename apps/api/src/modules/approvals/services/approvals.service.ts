import { Inject, Injectable } from '@nestjs/common';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { APPROVAL_DECISION_SIGNAL, type ApprovalDecision } from '@trellis/dag-interpreter';
import { approvalDecidedEvent, recordRunEvents } from '@trellis/db';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { assertIntInRange, assertUuid } from '../../../common/validation/argument-guards.js';
import {
  type Approval,
  ApprovalStatus,
  PRISMA,
  type PrismaJson,
  type Run,
  type TrellisPrismaClient,
} from '../../../infrastructure/prisma/prisma-client.js';
import { TEMPORAL_CLIENT } from '../../../infrastructure/temporal/temporal.module.js';
import type { Principal } from '../../identity/access/principal.js';
import { roleAtLeast } from '../../identity/permissions.js';
import { closedReason, type ComparableDecision, isSameDecision, OPEN_RUN_STATUSES } from './approval-closure.js';
import { assigneeEntriesOf, type Decider, deciderLabel, refusalToDecide } from './approval-deciders.js';
import { checkApprovalValues, normaliseApprovalValues } from './approval-form.js';

/** Largest number of approvals one `approvals` query returns. */
export const MAX_APPROVALS_PAGE_SIZE = 500;
/** Longest approver comment, in UTF-16 code units. */
const MAX_COMMENT_LENGTH = 2_000;
/** Longest `decidedBy` and `assignee` identity, in UTF-16 code units. */
const MAX_IDENTITY_LENGTH = 200;
/** Bound on the signal call, which runs while the approval row is locked (ms). */
const SIGNAL_TIMEOUT_MS = 5_000;
/** Interactive transaction timeout: covers the signal plus the statements around it (ms). */
const DECISION_TRANSACTION_TIMEOUT_MS = SIGNAL_TIMEOUT_MS + 5_000;

/** A person's decision, from `decideApproval` or a decision link. */
export interface DecisionRequest {
  /** The approval's id (a UUID). */
  id: string;
  approve: boolean;
  comment?: string | null;
  /** The form fields; checked against the approval's `form`. */
  values?: unknown;
  /** Who decides: the request's principal, or a decision link's holder. */
  decider: Decider;
  /**
   * True (the default) makes repeating the recorded decision a no-op that returns the approval; false
   * (decision links, which are single-use) makes any second decision a CONFLICT.
   */
  idempotent?: boolean;
}

type RunOfApproval = Pick<Run, 'id' | 'status' | 'workflowId' | 'startedByUserId' | 'startedByApiKeyId'>;
type DbClient = Pick<TrellisPrismaClient, 'approval' | 'run'>;

/** Lists approvals and records people's decisions. Approvals are opened, escalated and expired by the worker. */
@Injectable()
export class ApprovalsService {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** Every approval of run `runId`, oldest first (at most one per approval node and guarded tool call). */
  listOfRun(runId: string): Promise<Approval[]> {
    return this.prisma.approval.findMany({ where: { runId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /**
   * Approvals in `status`, oldest first (`createdAt asc, id asc`). PENDING lists only approvals that can
   * still be decided (their run is RUNNING or WAITING), so the inbox never shows closed ones.
   *
   * @param first at most this many, 1–{@link MAX_APPROVALS_PAGE_SIZE}
   * @param assignee only approvals listing this identity among their `assignees`
   * @param mine only approvals this principal may decide (see `refusalToDecide`)
   * @throws TrellisException `BAD_USER_INPUT` when `first` is out of range or `assignee` is empty or too long
   */
  list(status: ApprovalStatus, first: number, assignee?: string | null, mine?: Principal | null): Promise<Approval[]> {
    assertIntInRange(first, 'first', 1, MAX_APPROVALS_PAGE_SIZE);
    if (assignee != null && (assignee.length === 0 || assignee.length > MAX_IDENTITY_LENGTH)) {
      throw TrellisException.badUserInput('Invalid argument assignee', [
        { path: 'assignee', message: `must be between 1 and ${MAX_IDENTITY_LENGTH} characters` },
      ]);
    }
    return this.prisma.approval.findMany({
      where: {
        status,
        ...(assignee != null ? { assignees: { has: assignee } } : {}),
        ...(status === ApprovalStatus.PENDING ? { run: { status: { in: [...OPEN_RUN_STATUSES] } } } : {}),
        ...(mine ? decidableBy(mine) : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: first,
    });
  }

  /**
   * @throws TrellisException `BAD_USER_INPUT` for a malformed id, `NOT_FOUND` for an unknown approval
   */
  async getById(id: string): Promise<Approval> {
    assertUuid(id, 'id');
    const approval = await this.prisma.approval.findUnique({ where: { id } });
    if (!approval) throw TrellisException.notFound('Approval', id);
    return approval;
  }

  /** Why `approval` can no longer be decided (see {@link closedReason}), or null while it can. */
  async closedReasonOf(approval: Approval): Promise<string | null> {
    const run = await this.prisma.run.findUnique({ where: { id: approval.runId }, select: { status: true } });
    return run ? closedReason(approval, run.status) : 'the run was deleted';
  }

  /**
   * Records a decision and delivers it to the run's workflow (`run.workflowId ?? run.id`), atomically: in
   * one transaction the row is moved from PENDING (a conditional update, which also locks it against the
   * worker's timeout path doing the same to TIMED_OUT), the run's `approval.decided` event is appended and
   * the `approvalDecision` signal is sent; if the signal fails, both writes are rolled back and the error
   * surfaces. Temporal stores the signal even while
   * no worker runs, so a decision taken then takes effect when a worker returns.
   *
   * `values` are normalised (`{}` when the approval has a form and none were sent) and checked against the
   * approval's `form`; they go into the signal and the node's output.
   *
   * @returns the approval as decided; with `idempotent` (default), repeating the recorded decision returns
   *   the approval unchanged and sends and records nothing
   * @throws TrellisException `BAD_USER_INPUT` (malformed id, comment or `decidedBy` too long, `values` that
   *   do not match the form, with paths `values.<field>`), `NOT_FOUND`, `CONFLICT` when the approval was
   *   already decided otherwise or timed out (the message names its status), or its run has ended (the
   *   message gives the reason, such as "the run was cancelled"); any other signal failure is rethrown
   */
  async decide(request: DecisionRequest): Promise<Approval> {
    const { id, approve } = request;
    assertUuid(id, 'id');
    const comment = request.comment ?? null;
    if (comment !== null && comment.length > MAX_COMMENT_LENGTH) {
      throw TrellisException.badUserInput('Invalid argument comment', [
        { path: 'comment', message: `must be at most ${MAX_COMMENT_LENGTH} characters` },
      ]);
    }
    const { decider } = request;
    if (decider.kind === 'link' && decider.name !== null && decider.name.length > MAX_IDENTITY_LENGTH) {
      throw TrellisException.badUserInput('Invalid argument decidedBy', [
        { path: 'decidedBy', message: `must be at most ${MAX_IDENTITY_LENGTH} characters` },
      ]);
    }
    const decidedBy = deciderLabel(decider);
    const idempotent = request.idempotent ?? true;

    const current = await loadWithRun(this.prisma, id);
    if (decider.kind === 'principal') {
      const refusal = refusalToDecide(decider.principal, { ...current.approval, run: current.run });
      if (refusal !== null) throw TrellisException.forbidden(`You may not decide approval ${id}: ${refusal}`);
    }
    const values = normaliseApprovalValues(current.approval.form, request.values);
    const decision: ComparableDecision = { approve, comment, values };
    const settled = settledOutcome(current, decision, idempotent);
    if (settled) return settled;
    const issues = checkApprovalValues(current.approval.form, values);
    if (issues.length > 0) throw TrellisException.badUserInput('Invalid argument values', issues);

    const decidedAt = new Date();
    const status = approve ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED;
    return this.prisma.$transaction(
      async (tx) => {
        const { count } = await tx.approval.updateMany({
          where: { id, status: ApprovalStatus.PENDING },
          data: { status, comment, decidedAt, decidedBy, values: (values ?? undefined) as PrismaJson | undefined },
        });
        if (count === 0) {
          // Someone (a person or the timeout) got there first: same rules as above, on the new state.
          const raced = settledOutcome(await loadWithRun(tx, id), decision, idempotent);
          if (raced) return raced;
          throw TrellisException.conflict(`Approval ${id} is no longer PENDING`);
        }
        const { approval, run } = await loadWithRun(tx, id);
        // After the approval row's lock, as the worker does (approval, then run): no deadlock between them.
        await recordRunEvents(tx, run.id, [approvalDecidedEvent(approval)]);
        const signal: ApprovalDecision = {
          approvalId: approval.id,
          nodeId: approval.nodeId,
          approved: approve,
          comment,
          decidedAt: decidedAt.toISOString(),
          // Only approvals with a form carry values, so other approvals' outputs keep their shape.
          ...(values !== null ? { values: values as Record<string, unknown> } : {}),
          decidedBy,
        };
        try {
          await this.temporal.withDeadline(Date.now() + SIGNAL_TIMEOUT_MS, () =>
            this.temporal.workflow.getHandle(run.workflowId ?? run.id).signal(APPROVAL_DECISION_SIGNAL, signal),
          );
        } catch (error) {
          // Throwing rolls the update back: nobody can wait for this decision any more.
          if (error instanceof WorkflowNotFoundError) {
            const ended = await this.prisma.run.findUnique({ where: { id: run.id }, select: { status: true } });
            const reason = (ended && closedReason({ status: ApprovalStatus.PENDING }, ended.status)) ?? `run ${run.id} is no longer running`;
            throw TrellisException.conflict(`Approval ${id} can no longer be decided: ${reason}`);
          }
          throw error;
        }
        return approval;
      },
      { timeout: DECISION_TRANSACTION_TIMEOUT_MS },
    );
  }
}

/** The `where` of approvals `principal` may decide, as `refusalToDecide` rules. */
function decidableBy(principal: Principal) {
  const admin = principal.role !== null && roleAtLeast(principal.role, 'ADMIN');
  // Spelled without NOT: a run nobody of this kind started has a null starter, and NOT (NULL = id) is NULL in SQL.
  const notStartedByMe =
    principal.kind === 'USER'
      ? { OR: [{ startedByUserId: null }, { startedByUserId: { not: principal.userId } }] }
      : { OR: [{ startedByApiKeyId: null }, { startedByApiKeyId: { not: principal.apiKeyId } }] };
  return {
    AND: [
      admin ? {} : { OR: [{ assignees: { isEmpty: true } }, { assignees: { hasSome: assigneeEntriesOf(principal) } }] },
      { OR: [{ allowSelfApproval: true }, { run: notStartedByMe }] },
    ],
  };
}

/** The approval and the run facts a decision needs. @throws TrellisException `NOT_FOUND` */
async function loadWithRun(db: DbClient, id: string): Promise<{ approval: Approval; run: RunOfApproval }> {
  const row = await db.approval.findUnique({
    where: { id },
    include: { run: { select: { id: true, status: true, workflowId: true, startedByUserId: true, startedByApiKeyId: true } } },
  });
  if (!row) throw TrellisException.notFound('Approval', id);
  const { run, ...approval } = row;
  return { approval, run };
}

/**
 * What a decision on an approval that is no longer open gives: the approval itself when it repeats the
 * recorded decision (and `idempotent`), a CONFLICT otherwise. Null when the approval is open.
 */
function settledOutcome(
  { approval, run }: { approval: Approval; run: RunOfApproval },
  decision: ComparableDecision,
  idempotent: boolean,
): Approval | null {
  if (approval.status !== ApprovalStatus.PENDING) {
    if (idempotent && isSameDecision(approval, decision)) return approval;
    const why = approval.status === ApprovalStatus.TIMED_OUT ? ': the approval timed out' : '';
    throw TrellisException.conflict(`Approval ${approval.id} is already ${approval.status}${why}`);
  }
  const reason = closedReason(approval, run.status);
  if (reason) throw TrellisException.conflict(`Approval ${approval.id} can no longer be decided: ${reason}`);
  return null;
}
