/**
 * The `approval` node: pauses the run until a person decides or the timeout fires.
 *
 * Postgres is the single arbiter between a decision and a timeout. The API moves the approval
 * from PENDING to APPROVED/REJECTED and signals the workflow in one database transaction; on
 * timeout the workflow asks `expireApproval` for the same conditional move to TIMED_OUT. Whichever
 * commits first wins, and a decision that lost its signal is still read back from the database.
 */
import { CancellationScope, condition, defineSignal, setHandler, uuid4, ApplicationFailure } from '@temporalio/workflow';
import { APPROVAL_DECISION_SIGNAL, type ApprovalDecision, type OpenApprovalRequest } from '../activity-contract.js';
import { parseDuration } from '../duration.js';
import type { ApprovalConfig } from '../node-types/approval/index.js';
import { bookkeeping } from './activities.js';

/** The approval node's output. */
export interface ApprovalOutput {
  approved: boolean;
  comment: string | null;
  /** ISO-8601. */
  decidedAt: string;
  /** True when nobody decided before the timeout and `onTimeout` chose the outcome. */
  timedOut?: boolean;
  /** The approver's form fields (present when the approval has a `form`). */
  values?: Record<string, unknown> | null;
  /** Who decided, when the API knows. */
  decidedBy?: string | null;
}

/** Sends an approval's escalation; resolves once it was sent (or gave up), never rejects except on cancel. */
export type Escalator = (approval: OpenApprovalRequest & { requestedAt: string }) => Promise<void>;

export const approvalDecisionSignal = defineSignal<[ApprovalDecision]>(APPROVAL_DECISION_SIGNAL);

/**
 * Keeps the decisions signalled to this run, by approval id, and opens approvals. A node may open
 * several (an agent's guarded tool calls), one at a time or in parallel.
 */
export class ApprovalDesk {
  private readonly open = new Set<string>();
  private readonly decisions = new Map<string, ApprovalDecision>();

  constructor(private readonly runId: string) {
    setHandler(approvalDecisionSignal, (decision) => {
      // A decision for an approval this run did not open (or a duplicate) is ignored.
      if (this.open.has(decision.approvalId) && !this.decisions.has(decision.approvalId)) {
        this.decisions.set(decision.approvalId, decision);
      }
    });
  }

  /**
   * Opens an approval for `nodeId` through `record` (which must store it durably before resolving)
   * and resolves with the outcome.
   * @param details - extra facts stored with the approval for the approver (`{ tool, arguments }`).
   * @throws ApplicationFailure of type `ApprovalTimeout` when it times out with `onTimeout: "fail"`.
   */
  async await(
    nodeId: string,
    config: ApprovalConfig,
    record: (approval: OpenApprovalRequest) => Promise<void>,
    details?: unknown,
    escalate?: Escalator,
  ): Promise<ApprovalOutput> {
    const approvalId = uuid4();
    const openedAt = Date.now();
    const timeoutMs = config.timeout ? parseDuration(config.timeout) : undefined;
    const dueAt = timeoutMs === undefined ? undefined : new Date(openedAt + timeoutMs).toISOString();
    const escalateMs = config.escalateAfter && config.escalation ? parseDuration(config.escalateAfter) : undefined;
    // An escalation due at or after the timeout would never be useful.
    const escalates = escalateMs !== undefined && escalate !== undefined && (timeoutMs === undefined || escalateMs < timeoutMs);
    const approval: OpenApprovalRequest = {
      approvalId,
      runId: this.runId,
      nodeId,
      message: config.message,
      dueAt,
      ...(details === undefined ? {} : { details }),
      ...(config.assignees ? { assignees: config.assignees } : {}),
      ...(config.allowSelfApproval === false ? { allowSelfApproval: false } : {}),
      ...(config.form ? { form: config.form } : {}),
      ...(escalates ? { escalateAt: new Date(openedAt + escalateMs).toISOString() } : {}),
    };
    this.open.add(approvalId);
    await record(approval);

    const hasDecision = () => this.decisions.has(approvalId);
    if (escalates && !(await condition(hasDecision, escalateMs))) {
      await escalate({ ...approval, requestedAt: new Date(openedAt).toISOString() });
    }
    // Without an escalation this is the original single wait, so older histories replay unchanged.
    const remainingMs = timeoutMs === undefined ? undefined : escalates ? Math.max(1, openedAt + timeoutMs - Date.now()) : timeoutMs;
    const decided = remainingMs === undefined ? (await condition(hasDecision), true) : await condition(hasDecision, remainingMs);
    if (decided) return toOutput(this.decisions.get(approvalId) as ApprovalDecision);

    const expiry = await CancellationScope.nonCancellable(() => bookkeeping.expireApproval({ approvalId }));
    if (expiry.status === 'DECIDED') return toOutput(expiry.decision);
    const onTimeout = config.onTimeout ?? 'reject';
    if (onTimeout === 'fail') {
      throw ApplicationFailure.create({
        message: `approval timed out after ${config.timeout}`,
        type: 'ApprovalTimeout',
        nonRetryable: true,
      });
    }
    return { approved: onTimeout === 'approve', comment: null, decidedAt: expiry.at, timedOut: true };
  }
}

function toOutput(decision: ApprovalDecision): ApprovalOutput {
  return {
    approved: decision.approved,
    comment: decision.comment ?? null,
    decidedAt: decision.decidedAt,
    ...(decision.values !== undefined ? { values: decision.values } : {}),
    ...(decision.decidedBy ? { decidedBy: decision.decidedBy } : {}),
  };
}
