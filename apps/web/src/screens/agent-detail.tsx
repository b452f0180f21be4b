import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { atLeast } from '../api/roles';
import { useRole } from '../layout/session-context';
import { AgentSchedules } from './agent-schedules';
import { StartRunPanel } from './start-run-panel';
import { VersionsTable } from '../history/versions-table';
import { StatusBadge } from './status-badge';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const AGENT = graphql(`
  query Agent($id: ID!) {
    agent(id: $id) {
      id
      name
      description
      liveVersion { version }
      versions { version createdAt publishedBy }
    }
    runs(agentId: $id, first: 50) {
      edges { node { id status trigger startedAt finishedAt } }
    }
  }
`);

const RUN_UPDATED = graphql(`
  subscription AgentRunUpdated($agentId: ID!) {
    runUpdated(agentId: $agentId) { id status }
  }
`);

/** One agent: its live version, a Start button for operators and above, and its latest runs. */
export function AgentDetail({ agentId }: { agentId: string }) {
  const [{ data, error }, reload] = useQuery({ query: AGENT, variables: { id: agentId } });
  // A run of this agent changed status (or a new one started): reload the list.
  const [updates] = useSubscription({ query: RUN_UPDATED, variables: { agentId } });
  const update = updates.data?.runUpdated;
  useEffect(() => {
    if (update) reload({ requestPolicy: 'network-only' });
  }, [update, reload]);
  const [starting, setStarting] = useState(false);
  const role = useRole();

  if (error) return <p role="alert" className="error">{messageOf(error)}</p>;
  if (!data) return <p>Loading…</p>;
  return (
    <section aria-labelledby="agent-heading">
      <header className="section-header">
        <div>
          <Link to="/">Agents</Link>
          <h1 id="agent-heading">{data.agent.name}</h1>
          <p>{data.agent.description}</p>
          <p>Live version: {data.agent.liveVersion ? `v${data.agent.liveVersion.version}` : 'none'}</p>
        </div>
        <div className="actions">
        {atLeast(role, 'EDITOR') && (
          <Link to="/agents/$agentId/edit" params={{ agentId }} className="button">
            Edit
          </Link>
        )}
        {atLeast(role, 'OPERATOR') && (
          <button type="button" onClick={() => setStarting(true)}>
            Start run
          </button>
        )}
        </div>
      </header>
      {starting && (
        <StartRunPanel agentId={agentId} liveVersion={data.agent.liveVersion?.version ?? null} onClose={() => setStarting(false)} />
      )}
      <h2>
        Versions{' '}
        <Link to="/agents/$agentId/history" params={{ agentId }} className="small-link">
          History and diff
        </Link>
      </h2>
      <VersionsTable agentId={agentId} versions={data.agent.versions} liveVersion={data.agent.liveVersion?.version ?? null} />
      <AgentSchedules agentId={agentId} />
      <h2>Runs</h2>
      {data.runs.edges.length === 0 ? (
        <p>No runs yet.</p>
      ) : (
        <table className="agents">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Trigger</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {data.runs.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <Link to="/runs/$runId" params={{ runId: node.id }}>
                    {node.id.slice(0, 8)}
                  </Link>
                </td>
                <td>
                  <StatusBadge status={node.status} />
                </td>
                <td>{node.trigger}</td>
                <td>{new Date(node.startedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
