import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { gql, useMutation, useQuery } from 'urql';

const INBOX = gql`
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
  }
`;

const DECIDE = gql`
  mutation Decide($id: ID!, $approve: Boolean!, $comment: String, $values: JSON) {
    decideApproval(id: $id, approve: $approve, comment: $comment, values: $values) { id status decidedBy }
  }
`;

/** How often the inbox looks for new approvals (ms). */
const REFRESH_MS = 2_000;

interface PendingApproval {
  id: string;
  message: string;
  details: unknown;
  assignees: string[];
  dueAt: string | null;
  requestedAt: string;
  form: Record<string, unknown> | null;
  run: { id: string; agent: { name: string } };
}

/** The approvals the signed-in user may decide, oldest first, refreshed every two seconds. */
export function ApprovalsInbox() {
  const [{ data, error }, reload] = useQuery<{ approvals: PendingApproval[] }>({ query: INBOX, requestPolicy: 'network-only' });
  useEffect(() => {
    const timer = setInterval(() => reload({ requestPolicy: 'network-only' }), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  if (error) return <p role="alert" className="error">{error.graphQLErrors[0]?.message ?? error.message}</p>;
  if (!data) return <p>Loading…</p>;
  return (
    <section aria-labelledby="inbox-heading">
      <h1 id="inbox-heading">Approvals</h1>
      {data.approvals.length === 0 && <p>Nothing waits for your decision.</p>}
      {data.approvals.map((approval) => (
        <ApprovalCard key={approval.id} approval={approval} onDecided={() => reload({ requestPolicy: 'network-only' })} />
      ))}
    </section>
  );
}

/** One pending approval: what it asks, its details, and approve or reject with a comment (and form values). */
function ApprovalCard({ approval, onDecided }: { approval: PendingApproval; onDecided: () => void }) {
  const [comment, setComment] = useState('');
  const [values, setValues] = useState('{}');
  const [decision, decide] = useMutation(DECIDE);
  const [valuesError, setValuesError] = useState<string | null>(null);

  const submit = async (approve: boolean) => {
    let parsed: unknown = undefined;
    if (approval.form) {
      try {
        parsed = JSON.parse(values);
      } catch {
        setValuesError('The values must be a JSON object');
        return;
      }
    }
    setValuesError(null);
    const result = await decide({ id: approval.id, approve, comment: comment || null, values: parsed });
    if (!result.error) onDecided();
  };
  const error = valuesError ?? decision.error?.graphQLErrors[0]?.message ?? decision.error?.message;

  return (
    <article className="approval" aria-label={`Approval: ${approval.message}`}>
      <header>
        <strong>{approval.message}</strong>
        <span>
          {' '}
          · <Link to="/runs/$runId" params={{ runId: approval.run.id }}>{approval.run.agent.name} run {approval.run.id.slice(0, 8)}</Link>
        </span>
      </header>
      <p className="meta">
        Requested {new Date(approval.requestedAt).toLocaleString()}
        {approval.dueAt && <> · due {new Date(approval.dueAt).toLocaleString()}</>}
        {approval.assignees.length > 0 && <> · for {approval.assignees.join(', ')}</>}
      </p>
      {approval.details != null && <pre className="details">{JSON.stringify(approval.details, null, 2)}</pre>}
      {approval.form && (
        <label>
          Values <small>(JSON matching the form: {Object.keys((approval.form.properties as object | undefined) ?? {}).join(', ')})</small>
          <textarea aria-label="Values" value={values} onChange={(event) => setValues(event.target.value)} rows={3} />
        </label>
      )}
      <label>
        Comment
        <input aria-label="Comment" value={comment} onChange={(event) => setComment(event.target.value)} />
      </label>
      {error && <p role="alert" className="error">{error}</p>}
      <div className="actions">
        <button type="submit" disabled={decision.fetching} onClick={() => void submit(true)}>
          Approve
        </button>
        <button type="button" disabled={decision.fetching} onClick={() => void submit(false)}>
          Reject
        </button>
      </div>
    </article>
  );
}
