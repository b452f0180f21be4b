import Form from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const DECIDE = graphql(`
  mutation Decide($id: ID!, $approve: Boolean!, $comment: String, $values: JSON) {
    decideApproval(id: $id, approve: $approve, comment: $comment, values: $values) { id status decidedBy }
  }
`);

/** The fields of a pending approval a card shows. */
export interface PendingApproval {
  id: string;
  message: string;
  details: unknown;
  assignees: string[];
  dueAt: string | null;
  requestedAt: string;
  /** JSON Schema of the values to fill in (a JSON scalar), or null. */
  form: unknown;
  run?: { id: string; agent: { name: string } };
}

// The approve and reject buttons below decide; the form has none of its own.
const FORM_UI = { 'ui:submitButtonOptions': { norender: true } };

/** `125000` ms as `2 m 5 s`. */
function remaining(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours > 0) return `${hours} h ${minutes % 60} m`;
  return minutes > 0 ? `${minutes} m ${seconds % 60} s` : `${seconds} s`;
}

/** Time left until `dueAt`, ticking every second. */
function DueCountdown({ dueAt }: { dueAt: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const left = Date.parse(dueAt) - now;
  return <span className={left < 60_000 ? 'warning' : undefined}>{left > 0 ? `due in ${remaining(left)}` : 'due now'}</span>;
}

/**
 * A pending approval: what it asks, its details, its assignees and deadline, the form generated from its
 * JSON Schema (checked in the browser before approving; the server checks again), a comment, and approve
 * or reject. Without `canDecide` it is shown read-only.
 */
export function ApprovalCard({ approval, canDecide, onDecided }: { approval: PendingApproval; canDecide: boolean; onDecided: () => void }) {
  const [comment, setComment] = useState('');
  const [values, setValues] = useState<unknown>({});
  const [decision, decide] = useMutation(DECIDE);
  const form = useRef<Form>(null);

  const submit = async (approve: boolean) => {
    // Approving must carry values that fit the form; rejecting needs none.
    if (approve && approval.form && !form.current?.validateForm()) return;
    const result = await decide({ id: approval.id, approve, comment: comment || null, values: approve && approval.form ? values : undefined });
    if (!result.error) onDecided();
  };
  const error = decision.error ? messageOf(decision.error) : null;

  return (
    <article className="approval" aria-label={`Approval: ${approval.message}`}>
      <header>
        <strong>{approval.message}</strong>
        {approval.run && (
          <span>
            {' '}
            ·{' '}
            <Link to="/runs/$runId" params={{ runId: approval.run.id }}>
              {approval.run.agent.name} run {approval.run.id.slice(0, 8)}
            </Link>
          </span>
        )}
      </header>
      <p className="meta">
        Requested {new Date(approval.requestedAt).toLocaleString()}
        {approval.dueAt && (
          <>
            {' '}
            · <DueCountdown dueAt={approval.dueAt} />
          </>
        )}
        {approval.assignees.length > 0 && <> · for {approval.assignees.join(', ')}</>}
      </p>
      {approval.details != null && <pre className="details">{JSON.stringify(approval.details, null, 2)}</pre>}
      {approval.form != null && (
        <Form
          ref={form}
          className="schema-form approval-form"
          schema={approval.form as RJSFSchema}
          uiSchema={FORM_UI}
          validator={validator}
          formData={values}
          disabled={!canDecide || decision.fetching}
          showErrorList={false}
          noHtml5Validate
          onChange={({ formData }) => setValues(formData)}
        />
      )}
      {canDecide && (
        <>
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
        </>
      )}
    </article>
  );
}

/** A decided (or closed) approval as a line: outcome, who decided and how, when, the comment. */
export function DecidedApproval({
  approval,
}: {
  approval: { id: string; message: string; status: string; decidedBy: string | null; decidedAt: string | null; comment: string | null; closedReason: string | null; values: unknown };
}) {
  const how = approval.decidedBy?.startsWith('decision link') ? 'by link' : approval.decidedBy ? 'in Trellis' : null;
  return (
    <li className="decided" data-approval-status={approval.status}>
      <strong>{approval.status.toLowerCase()}</strong> {approval.message}
      {approval.decidedBy && (
        <>
          {' '}
          · by {approval.decidedBy} ({how})
        </>
      )}
      {approval.decidedAt && <> · {new Date(approval.decidedAt).toLocaleString()}</>}
      {approval.comment && <> · “{approval.comment}”</>}
      {approval.closedReason && <> · {approval.closedReason}</>}
      {approval.values != null && <code> {JSON.stringify(approval.values)}</code>}
    </li>
  );
}
