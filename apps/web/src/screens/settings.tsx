import { type FormEvent, useState } from 'react';
import { gql, useMutation, useQuery } from 'urql';
import { atLeast } from '../api/roles';
import { useRole } from '../layout/session-context';

const SETTINGS = gql`
  query Settings {
    workspace { id name members { role joinedAt user { id email } } }
  }
`;

const API_KEYS = gql`
  query ApiKeys {
    apiKeys { id name prefix role createdAt lastUsedAt expiresAt revokedAt }
  }
`;

const CREATE_KEY = gql`
  mutation CreateKey($name: String!, $role: WorkspaceRole!) {
    createApiKey(input: { name: $name, role: $role }) { key apiKey { id } }
  }
`;

const REVOKE_KEY = gql`
  mutation RevokeKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`;

const AUDIT = gql`
  query Audit {
    auditEvents(first: 50) { edges { node { id occurredAt actorType actorId action targetType targetId outcome } } }
  }
`;

const ROLES = ['VIEWER', 'OPERATOR', 'EDITOR', 'ADMIN', 'OWNER'] as const;

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The workspace's members, and for admins its API keys and audit log. */
export function Settings() {
  const role = useRole();
  const [{ data, error }] = useQuery<{ workspace: { name: string; members: { role: string; joinedAt: string; user: { id: string; email: string } }[] } }>({ query: SETTINGS });
  if (error) return <p role="alert" className="error">{error.graphQLErrors[0]?.message ?? error.message}</p>;
  if (!data) return <p>Loading…</p>;
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading">Settings of {data.workspace.name}</h1>
      <h2>Members</h2>
      <table className="agents" aria-label="Members">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
          </tr>
        </thead>
        <tbody>
          {data.workspace.members.map((member) => (
            <tr key={member.user.id}>
              <td>{member.user.email}</td>
              <td>{member.role}</td>
              <td>{new Date(member.joinedAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {atLeast(role, 'ADMIN') && <ApiKeys ceiling={role!} />}
      {atLeast(role, 'ADMIN') && <AuditLog />}
    </section>
  );
}

/** The workspace's API keys: create one (shown once), revoke. */
function ApiKeys({ ceiling }: { ceiling: (typeof ROLES)[number] }) {
  const [{ data }, reload] = useQuery<{ apiKeys: ApiKeyRow[] }>({ query: API_KEYS });
  const [created, create] = useMutation<{ createApiKey: { key: string } }>(CREATE_KEY);
  const [, revoke] = useMutation(REVOKE_KEY);
  const [name, setName] = useState('');
  const [keyRole, setKeyRole] = useState<string>('VIEWER');
  const [shown, setShown] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create({ name, role: keyRole });
    if (result.data) {
      setShown(result.data.createApiKey.key);
      setName('');
      reload({ requestPolicy: 'network-only' });
    }
  };

  return (
    <>
      <h2>API keys</h2>
      <form className="inline-form" onSubmit={submit} aria-label="Create an API key">
        <input aria-label="Key name" placeholder="Name" value={name} onChange={(event) => setName(event.target.value)} required />
        <select aria-label="Key role" value={keyRole} onChange={(event) => setKeyRole(event.target.value)}>
          {ROLES.filter((candidate) => ROLES.indexOf(candidate) <= ROLES.indexOf(ceiling)).map((candidate) => (
            <option key={candidate}>{candidate}</option>
          ))}
        </select>
        <button type="submit" disabled={created.fetching}>
          Create key
        </button>
      </form>
      {created.error && <p role="alert" className="error">{created.error.graphQLErrors[0]?.message ?? created.error.message}</p>}
      {shown && (
        <p className="new-key" aria-label="New API key">
          Copy this key now, it is not shown again: <code>{shown}</code>
        </p>
      )}
      <table className="agents" aria-label="API keys">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Role</th>
            <th scope="col">Last used</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {(data?.apiKeys ?? []).map((key) => (
            <tr key={key.id} data-key-name={key.name}>
              <td>{key.name}</td>
              <td>
                <code>{key.prefix}…</code>
              </td>
              <td>{key.role}</td>
              <td>{key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : 'never'}</td>
              <td>
                {key.revokedAt ? (
                  <span>Revoked</span>
                ) : (
                  <button type="button" onClick={async () => (await revoke({ id: key.id }), reload({ requestPolicy: 'network-only' }))}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The latest audit events of the workspace. */
function AuditLog() {
  const [{ data }] = useQuery<{ auditEvents: { edges: { node: { id: string; occurredAt: string; actorType: string; actorId: string | null; action: string; targetType: string | null; targetId: string | null; outcome: string } }[] } }>({
    query: AUDIT,
    requestPolicy: 'network-only',
  });
  return (
    <>
      <h2>Audit log</h2>
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
            <tr key={node.id}>
              <td>{new Date(node.occurredAt).toLocaleString()}</td>
              <td>{node.actorType}</td>
              <td>{node.action}</td>
              <td>{node.targetType ? `${node.targetType} ${node.targetId?.slice(0, 8) ?? ''}` : ''}</td>
              <td>{node.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
