import type { Approval } from '../../../infrastructure/prisma/prisma-client.js';

/** An approval as a decision link shows it (`GET`) and answers a decision (`POST`); dates are ISO-8601. */
export interface DecisionView {
  id: string;
  runId: string;
  nodeId: string;
  status: Approval['status'];
  message: string;
  details: unknown;
  assignees: string[];
  /** JSON Schema of the fields to send as `values`, or null. */
  form: unknown;
  values: unknown;
  comment: string | null;
  decidedBy: string | null;
  requestedAt: string;
  dueAt: string | null;
  decidedAt: string | null;
  /** Why the approval can no longer be decided, or null while it can. */
  closedReason: string | null;
}

/** Builds the {@link DecisionView} of `approval`. */
export function toDecisionView(approval: Approval, closedReason: string | null): DecisionView {
  return {
    id: approval.id,
    runId: approval.runId,
    nodeId: approval.nodeId,
    status: approval.status,
    message: approval.message,
    details: approval.details ?? null,
    assignees: approval.assignees,
    form: approval.form ?? null,
    values: approval.values ?? null,
    comment: approval.comment,
    decidedBy: approval.decidedBy,
    requestedAt: approval.createdAt.toISOString(),
    dueAt: approval.dueAt?.toISOString() ?? null,
    decidedAt: approval.decidedAt?.toISOString() ?? null,
    closedReason,
  };
}
