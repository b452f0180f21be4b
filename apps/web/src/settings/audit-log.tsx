import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const AUDIT = graphql(`
  query Audit($action: String, $actorId: String, $since: DateTime, $until: DateTime, $after: String) {
    auditEvents(first: 50, action: $action, actorId: $actorId, since: $since, until: $until, after: $after) {
      edges { node { id occurredAt actorType actorId action targetType targetId outcome } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

/** The workspace's audit events, newest first, filtered by action, actor and time, 50 a page. */
export function AuditLog() {
  const [filters, setFilters] = useState({ action: '', actorId: '', since: '', until: '' });
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const after = pages.at(-1) ?? null;
  const [{ data, error }] = useQuery({
    query: AUDIT,
    variables: {
      action: filters.action || null,
      actorId: filters.actorId || null,
      since: filters.since ? new Date(filters.since).toISOString() : null,
      until: filters.until ? new Date(filters.until).toISOString() : null,
      after,
    },
    requestPolicy: 'network-only',
  });
  const set = (name: keyof typeof filters) => (event: { target: { value: string } }) => {
    setFilters({ ...filters, [name]: event.target.value });
    setPages([null]);
  };
  return (
    <>
      <h2>Audit log</h2>
      <form className="run-filters" aria-label="Audit filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Action
          <input aria-label="Audit action" placeholder="run.start" value={filters.action} onChange={set('action')} />
        </label>
        <label>
          Actor id
          <input aria-label="Audit actor" value={filters.actorId} onChange={set('actorId')} />
        </label>
        <label>
          Since
          <input type="datetime-local" aria-label="Audit since" value={filters.since} onChange={set('since')} />
        </label>
        <label>
          Until
          <input type="datetime-local" aria-label="Audit until" value={filters.until} onChange={set('until')} />
        </label>
      </form>
      {error && <p role="alert" className="error">{messageOf(error)}</p>}
      <table className="agents" aria-label="Audit log">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {(data?.auditEvents.edges ?? []).map(({ node }) => (
            <tr key={node.id} data-audit-action={node.action}>
              <td>{new Date(node.occurredAt).toLocaleString()}</td>
              <td>
                {node.actorType} {node.actorId && <code title={node.actorId}>{node.actorId.slice(0, 8)}</code>}
              </td>
              <td>{node.action}</td>
              <td title={node.targetId ?? undefined}>{node.targetType ? `${node.targetType} ${shortId(node.targetId)}` : ''}</td>
              <td>{node.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
          Newer
        </button>
        <button type="button" disabled={!data?.auditEvents.pageInfo.hasNextPage} onClick={() => setPages([...pages, data!.auditEvents.pageInfo.endCursor])}>
          Older
        </button>
      </div>
    </>
  );
}

/** Ids are shortened to their first 8 characters (enough to tell rows apart); names, such as a secret's, are not. */
function shortId(id: string | null | undefined): string {
  if (!id) return '';
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id) ? id.slice(0, 8) : id;
}
