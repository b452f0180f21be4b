import { useEffect } from 'react';
import { useQuery, useSubscription } from 'urql';
import { atLeast } from '../api/roles';
import { ApprovalCard, DecidedApproval } from '../approvals/approval-card';
import { useRole } from '../layout/session-context';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const INBOX = graphql(`
  query Inbox {
    approvals(mine: true) {
      id
      message
      details
      assignees
      dueAt
      requestedAt
      form
      run { id agent { name } }
    }
    approved: approvals(status: APPROVED, first: 500) { id message status decidedBy decidedAt comment closedReason values }
    rejected: approvals(status: REJECTED, first: 500) { id message status decidedBy decidedAt comment closedReason values }
  }
`);

// Any run changing status (a run starting to wait, or going on) may change the inbox.
const RUN_UPDATED = graphql(`
  subscription InboxRunUpdated {
    runUpdated { id status }
  }
`);

/** How often the inbox looks for changes the run feed does not announce, such as a new assignee (ms). */
const REFRESH_MS = 10_000;
/** Decided approvals shown, newest first. */
const RECENTLY_DECIDED = 20;

/**
 * The approvals the signed-in user may decide, oldest first, kept live by the workspace's run feed (and
 * a slow poll), and the most recently decided ones with who decided and how.
 */
export function ApprovalsInbox() {
  const role = useRole();
  const [{ data, error }, reload] = useQuery({ query: INBOX, requestPolicy: 'network-only' });
  const [updates] = useSubscription({ query: RUN_UPDATED });
  const update = updates.data?.runUpdated;
  useEffect(() => {
    if (update) reload({ requestPolicy: 'network-only' });
  }, [update, reload]);
  useEffect(() => {
    const timer = setInterval(() => reload({ requestPolicy: 'network-only' }), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  if (error) return <p role="alert" className="error">{messageOf(error)}</p>;
  if (!data) return <p>Loading…</p>;
  const decided = [...data.approved, ...data.rejected]
    .sort((a, b) => Date.parse(b.decidedAt ?? '') - Date.parse(a.decidedAt ?? ''))
    .slice(0, RECENTLY_DECIDED);
  return (
    <section aria-labelledby="inbox-heading">
      <h1 id="inbox-heading">Approvals</h1>
      {data.approvals.length === 0 && <p>Nothing waits for your decision.</p>}
      {data.approvals.map((approval) => (
        <ApprovalCard key={approval.id} approval={approval} canDecide={atLeast(role, 'OPERATOR')} onDecided={() => reload({ requestPolicy: 'network-only' })} />
      ))}
      <h2>Recently decided</h2>
      {decided.length === 0 ? (
        <p className="hint">No decisions yet.</p>
      ) : (
        <ul aria-label="Recently decided" className="decided-list">
          {decided.map((approval) => (
            <DecidedApproval key={approval.id} approval={approval} />
          ))}
        </ul>
      )}
    </section>
  );
}
