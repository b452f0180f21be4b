/**
 * Whether an approval can still be decided, and why not. An approval of a run that ended while it was
 * still PENDING (the run was cancelled, or failed on another branch) keeps the status PENDING in the
 * database, since nobody decided it, but is closed: it leaves the inbox and refuses decisions.
 */
import { type Approval, ApprovalStatus, RunStatus } from '../../../infrastructure/prisma/prisma-client.js';

/** Run statuses in which the run's workflow is still waiting for its open approvals. */
export const OPEN_RUN_STATUSES: readonly RunStatus[] = [RunStatus.RUNNING, RunStatus.WAITING];

const RUN_ENDED_REASONS: Partial<Record<RunStatus, string>> = {
  [RunStatus.CANCELLED]: 'the run was cancelled',
  [RunStatus.FAILED]: 'the run failed',
  [RunStatus.SUCCEEDED]: 'the run has already finished',
};

/**
 * Why `approval` can no longer be decided, in words (`"the approval timed out"`, `"the run was
 * cancelled"`), or null while it can (PENDING in a RUNNING or WAITING run).
 */
export function closedReason(approval: Pick<Approval, 'status'>, runStatus: RunStatus): string | null {
  switch (approval.status) {
    case ApprovalStatus.TIMED_OUT:
      return 'the approval timed out';
    case ApprovalStatus.APPROVED:
      return 'the approval was approved';
    case ApprovalStatus.REJECTED:
      return 'the approval was rejected';
    default:
      return RUN_ENDED_REASONS[runStatus] ?? null;
  }
}

/** A decision as compared for idempotency: `values` already normalised. */
export interface ComparableDecision {
  approve: boolean;
  comment: string | null;
  values: unknown;
}

/**
 * True when `approval` was already decided exactly so: same outcome, comment and values (compared as
 * JSON values: key order ignored, since Postgres `jsonb` does not keep it, and so are prototypes, since
 * GraphQL literals arrive as null-prototype objects). Who decided is not compared.
 */
export function isSameDecision(approval: Pick<Approval, 'status' | 'comment' | 'values'>, decision: ComparableDecision): boolean {
  const status = decision.approve ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED;
  return (
    approval.status === status &&
    (approval.comment ?? null) === decision.comment &&
    isSameJson(approval.values ?? null, decision.values ?? null)
  );
}

/** Structural equality of two JSON values: same keys and items, in any key order, whatever the prototypes. */
function isSameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => isSameJson(item, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && isSameJson(left[key], right[key]));
}
