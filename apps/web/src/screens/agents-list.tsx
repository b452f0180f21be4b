import { Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { gql, useQuery } from 'urql';

const AGENTS = gql`
  query Agents {
    agents {
      id
      name
      description
      liveVersion { version }
    }
  }
`;

interface AgentRow {
  id: string;
  name: string;
  description: string | null;
  liveVersion: { version: number } | null;
}

/** The workspace's agents with their live version, filtered by a search on name and description. */
export function AgentsList() {
  const [{ data, error, fetching }] = useQuery<{ agents: AgentRow[] }>({ query: AGENTS });
  const [search, setSearch] = useState('');
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
      {error && <p role="alert" className="error">{error.graphQLErrors[0]?.message ?? error.message}</p>}
      {fetching && !data && <p>Loading…</p>}
      {data && shown.length === 0 && <p>{search ? 'No agent matches the search.' : 'No agents yet.'}</p>}
      {shown.length > 0 && (
        <table className="agents">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Live version</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((agent) => (
              <tr key={agent.id}>
                <td>
                  <Link to="/agents/$agentId" params={{ agentId: agent.id }}>
                    {agent.name}
                  </Link>
                </td>
                <td>{agent.description ?? ''}</td>
                <td>{agent.liveVersion ? `v${agent.liveVersion.version}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
