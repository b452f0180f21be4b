import { Link, useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { atLeast } from '../api/roles';
import { useRole } from '../layout/session-context';
import { StatusBadge } from './status-badge';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const AGENTS = graphql(`
  query Agents {
    agents {
      id
      name
      description
      liveVersion { version }
      lastRun { id status startedAt }
      runStats { runs succeeded failed successRate }
    }
  }
`);

const CREATE = graphql(`
  mutation CreateAgentFromList($input: CreateAgentInput!) {
    createAgent(input: $input) { id }
  }
`);

/** The DAG a new agent starts from: one node to replace or build on in the editor. */
const STARTER_DAG = { nodes: [{ id: 'start', type: 'set', config: { value: { hello: 'world' } } }], edges: [] };

/**
 * The workspace's agents with their live version, last run, and runs and success rate over 24 hours,
 * filtered by a search on name and description; editors create agents here.
 */
export function AgentsList() {
  const [{ data, error, fetching }] = useQuery({ query: AGENTS });
  const [search, setSearch] = useState('');
  const role = useRole();
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const agents = data?.agents ?? [];
    return needle ? agents.filter((agent) => `${agent.name} ${agent.description ?? ''}`.toLowerCase().includes(needle)) : agents;
  }, [data, search]);

  return (
    <section aria-labelledby="agents-heading">
      <header className="section-header">
        <h1 id="agents-heading">Agents</h1>
        <input type="search" placeholder="Search agents" aria-label="Search agents" value={search} onChange={(event) => setSearch(event.target.value)} />
      </header>
      {atLeast(role, 'EDITOR') && <NewAgent />}
      {error && <p role="alert" className="error">{messageOf(error)}</p>}
      {fetching && !data && <p>Loading…</p>}
      {data && shown.length === 0 && <p>{search ? 'No agent matches the search.' : 'No agents yet.'}</p>}
      {shown.length > 0 && (
        <table className="agents">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Live version</th>
              <th scope="col">Last run</th>
              <th scope="col">Runs (24 h)</th>
              <th scope="col">Success (24 h)</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((agent) => (
              <tr key={agent.id} data-agent={agent.name}>
                <td>
                  <Link to="/agents/$agentId" params={{ agentId: agent.id }}>
                    {agent.name}
                  </Link>
                </td>
                <td>{agent.description ?? ''}</td>
                <td>{agent.liveVersion ? `v${agent.liveVersion.version}` : '—'}</td>
                <td>
                  {agent.lastRun ? (
                    <Link to="/runs/$runId" params={{ runId: agent.lastRun.id }} title={new Date(agent.lastRun.startedAt).toLocaleString()}>
                      <StatusBadge status={agent.lastRun.status} />
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td data-column="runs">{agent.runStats.runs}</td>
                <td data-column="success">{agent.runStats.successRate === null ? '—' : `${Math.round(agent.runStats.successRate * 100)} %`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Creates an agent from a starter DAG and opens it in the editor. */
function NewAgent() {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [created, create] = useMutation(CREATE);
  const navigate = useNavigate();
  return (
    <form
      className="inline-form"
      aria-label="New agent"
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await create({ input: { name, description: description || null, dag: STARTER_DAG } });
        if (result.data) await navigate({ to: '/agents/$agentId/edit', params: { agentId: result.data.createAgent.id } });
      }}
    >
      <input aria-label="New agent name" placeholder="New agent name" value={name} onChange={(event) => setName(event.target.value)} required />
      <input aria-label="New agent description" placeholder="Description (optional)" value={description} onChange={(event) => setDescription(event.target.value)} />
      <button type="submit" disabled={created.fetching || !name.trim()}>
        Create agent
      </button>
      {created.error && <span role="alert" className="error">{messageOf(created.error)}</span>}
    </form>
  );
}
