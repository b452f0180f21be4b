import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const ACCEPT = graphql(`
  mutation AcceptInvitation($token: String!, $password: String) {
    acceptInvitation(token: $token, password: $password) { user { id } }
  }
`);

/** The token of an invitation link (`/invitations/accept?token=…`), or null on any other page. */
export function invitationToken(): string | null {
  return location.pathname === '/invitations/accept' ? new URLSearchParams(location.search).get('token') : null;
}

/**
 * Joins a workspace from an invitation link. Signed out, the invitee chooses a password (a new account) or
 * gives their own (an existing one); signed in, joining needs no password. Then the dashboard opens.
 */
export function AcceptInvitation({ token, signedIn, onJoined }: { token: string; signedIn: boolean; onJoined: () => void }) {
  const [password, setPassword] = useState('');
  const [accepted, accept] = useMutation(ACCEPT);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await accept({ token, password: signedIn ? null : password });
    if (!result.error) {
      history.replaceState(null, '', '/');
      onJoined();
    }
  };
  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-label="Accept the invitation">
        <h1>Trellis</h1>
        <h2>Join the workspace</h2>
        {!signedIn && (
          <label>
            Password <small>(at least 12 characters for a new account; your own for an existing one)</small>
            <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} required autoComplete="new-password" />
          </label>
        )}
        {accepted.error && <p role="alert" className="error">{messageOf(accepted.error)}</p>}
        <button type="submit" disabled={accepted.fetching}>
          Join
        </button>
      </form>
    </main>
  );
}
