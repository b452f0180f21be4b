import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { atLeast } from '../api/roles';
import { chosenWorkspace } from '../api/workspace-choice';
import { useRole, useSession } from '../layout/session-context';
import { AuditLog } from '../settings/audit-log';
import { Members, ROLES, rolesUpTo } from '../settings/members';
import { Secrets } from '../settings/secrets';
import { Webhooks } from '../settings/webhooks';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const API_KEYS = graphql(`
  query ApiKeys {
    apiKeys { id name prefix role createdAt lastUsedAt expiresAt revokedAt }
  }
`);

const CREATE_KEY = graphql(`
  mutation CreateKey($name: String!, $role: WorkspaceRole!) {
    createApiKey(input: { name: $name, role: $role }) { key apiKey { id } }
  }
`);

const REVOKE_KEY = graphql(`
  mutation RevokeKey($id: ID!) {
    revokeApiKey(id: $id) { id revokedAt }
  }
`);


/** The workspace's members and invitations, webhooks and secrets for editors, and for admins its API keys and audit log. */
export function Settings() {
  const role = useRole();
  const { me } = useSession();
  const workspaceId = chosenWorkspace() ?? me.workspaces[0]?.workspace.id;
  const workspace = me.workspaces.find((entry) => entry.workspace.id === workspaceId)?.workspace;
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading">Settings{workspace ? ` of ${workspace.name}` : ''}</h1>
      <Members />
      {atLeast(role, 'EDITOR') && <Webhooks />}
      {atLeast(role, 'EDITOR') && <Secrets canManage={atLeast(role, 'ADMIN')} />}
      {atLeast(role, 'ADMIN') && <ApiKeys ceiling={role!} />}
      {atLeast(role, 'ADMIN') && <AuditLog />}
    </section>
  );
}

/** The workspace's API keys: create one (shown once), revoke. */
function ApiKeys({ ceiling }: { ceiling: string }) {
  const [{ data }, reload] = useQuery({ query: API_KEYS });
  const [created, create] = useMutation(CREATE_KEY);
  const [, revoke] = useMutation(REVOKE_KEY);
  const [name, setName] = useState('');
  const [keyRole, setKeyRole] = useState<(typeof ROLES)[number]>('VIEWER');
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
        <select aria-label="Key role" value={keyRole} onChange={(event) => setKeyRole(event.target.value as (typeof ROLES)[number])}>
          {rolesUpTo(ceiling).map((candidate) => (
            <option key={candidate}>{candidate}</option>
          ))}
        </select>
        <button type="submit" disabled={created.fetching}>
          Create key
        </button>
      </form>
      {created.error && <p role="alert" className="error">{messageOf(created.error)}</p>}
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
