import { type FormEvent, useState } from 'react';
import { Link } from '@tanstack/react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const SECRETS = graphql(`
  query Secrets {
    secrets { name allowedHosts updatedAt lastUsedAt agents { id name } }
  }
`);
const SET_SECRET = graphql(`
  mutation SetSecret($input: SetSecretInput!) {
    setSecret(input: $input) { name }
  }
`);
const DELETE_SECRET = graphql(`
  mutation DeleteSecret($name: String!) {
    deleteSecret(name: $name)
  }
`);

/**
 * The workspace's vault: every secret with its allowed hosts, the agents using it and when it was last used
 * (EDITOR and above); ADMINs set (a value is sent once and never shown again) and delete them.
 */
export function Secrets({ canManage }: { canManage: boolean }) {
  const [{ data, error }, reload] = useQuery({ query: SECRETS });
  const [saved, save] = useMutation(SET_SECRET);
  const [deleted, remove] = useMutation(DELETE_SECRET);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [hosts, setHosts] = useState('');
  const refresh = () => reload({ requestPolicy: 'network-only' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const allowedHosts = hosts.split(',').map((host) => host.trim()).filter(Boolean);
    const result = await save({ input: { name: name.trim(), value, allowedHosts } });
    if (result.data) {
      setName('');
      setValue('');
      setHosts('');
      refresh();
    }
  };

  const failure = error ?? saved.error ?? deleted.error;
  return (
    <>
      <h2>Secrets</h2>
      <p className="hint">
        Reference a secret as <code>{'{{ secrets.NAME }}'}</code> in an http node's url, query, headers or body, or an llm or agent node's apiKey and
        baseUrl. Values are resolved only when a request is sent, and never shown again.
      </p>
      {canManage && (
        <form className="inline-form" onSubmit={submit} aria-label="Set a secret">
          <input aria-label="Secret name" placeholder="NAME" value={name} onChange={(event) => setName(event.target.value.toUpperCase())} pattern="[A-Z][A-Z0-9_]*" required />
          <input aria-label="Secret value" type="password" autoComplete="off" placeholder="Value" value={value} onChange={(event) => setValue(event.target.value)} required />
          <input aria-label="Allowed hosts" placeholder="Allowed hosts (optional, comma-separated)" value={hosts} onChange={(event) => setHosts(event.target.value)} />
          <button type="submit" disabled={saved.fetching}>
            Save secret
          </button>
        </form>
      )}
      {failure && <p role="alert" className="error">{messageOf(failure)}</p>}
      {data?.secrets.length === 0 && <p className="hint">No secrets yet.</p>}
      <table className="agents" aria-label="Secrets" hidden={data?.secrets.length === 0}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Allowed hosts</th>
            <th scope="col">Used by</th>
            <th scope="col">Last used</th>
            {canManage && <th scope="col" />}
          </tr>
        </thead>
        <tbody>
          {(data?.secrets ?? []).map((secret) => (
            <tr key={secret.name} data-secret={secret.name}>
              <td>
                <code>{secret.name}</code>
              </td>
              <td>{secret.allowedHosts.length > 0 ? secret.allowedHosts.join(', ') : 'any allowed host'}</td>
              <td>
                {secret.agents.length === 0
                  ? 'no live version'
                  : secret.agents.map((agent, index) => (
                      <span key={agent.id}>
                        {index > 0 && ', '}
                        <Link to="/agents/$agentId" params={{ agentId: agent.id }}>
                          {agent.name}
                        </Link>
                      </span>
                    ))}
              </td>
              <td>{secret.lastUsedAt ? new Date(secret.lastUsedAt).toLocaleString() : 'never'}</td>
              {canManage && (
                <td>
                  <button type="button" disabled={deleted.fetching} onClick={async () => (await remove({ name: secret.name }), refresh())}>
                    Delete
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
