import type { NewRunEvent } from './run-event-types.js';

/**
 * The `approval.decided` event of an approval that just left PENDING, written by whoever moved it (the
 * API for a person's decision, the worker for a timeout), so both produce the same shape:
 * `data: { approvalId, status, decidedBy? }`.
 */
export function approvalDecidedEvent(approval: {
  id: string;
  nodeId: string;
  /** `APPROVED`, `REJECTED` or `TIMED_OUT`. */
  status: string;
  decidedBy?: string | null;
}): NewRunEvent {
  return {
    type: 'approval.decided',
    nodeId: approval.nodeId,
    data: {
      approvalId: approval.id,
      status: approval.status,
      ...(approval.decidedBy ? { decidedBy: approval.decidedBy } : {}),
    },
  };
}
