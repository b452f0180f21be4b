import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const LOGIN = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { principalKind }
  }
`);

const SETUP_OWNER = graphql(`
  mutation SetupOwner($token: String!, $email: String!, $password: String!, $workspaceName: String!) {
    setupOwner(token: $token, email: $email, password: $password, workspaceName: $workspaceName) { principalKind }
  }
`);

/**
 * Sign-in with email and password, or, on a new installation, the first-run owner setup with the token the
 * API logged. Either sets the session cookie; `onSignedIn` then reloads who is signed in.
 */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [mode, setMode] = useState<'login' | 'setup'>('login');
  const [login, runLogin] = useMutation(LOGIN);
  const [setup, runSetup] = useMutation(SETUP_OWNER);
  const [fields, setFields] = useState({ email: '', password: '', token: '', workspaceName: '' });
  const set = (name: keyof typeof fields) => (event: { target: { value: string } }) => setFields({ ...fields, [name]: event.target.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result =
      mode === 'login'
        ? await runLogin({ email: fields.email, password: fields.password })
        : await runSetup({ token: fields.token, email: fields.email, password: fields.password, workspaceName: fields.workspaceName });
    if (!result.error) onSignedIn();
  };
  const failed = mode === 'login' ? login.error : setup.error;
  const error = failed ? messageOf(failed) : null;

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-label={mode === 'login' ? 'Sign in' : 'Set up the owner account'}>
        <h1>Trellis</h1>
        <h2>{mode === 'login' ? 'Sign in' : 'Set up the owner account'}</h2>
        {mode === 'setup' && (
          <label>
            Setup token <small>(logged by the API at start)</small>
            <input name="token" value={fields.token} onChange={set('token')} required autoComplete="off" />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" value={fields.email} onChange={set('email')} required autoComplete="username" />
        </label>
        <label>
          Password
          <input name="password" type="password" value={fields.password} onChange={set('password')} required autoComplete={mode === 'login' ? 'current-password' : 'new-password'} />
        </label>
        {mode === 'setup' && (
          <label>
            Workspace name
            <input name="workspaceName" value={fields.workspaceName} onChange={set('workspaceName')} required />
          </label>
        )}
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={login.fetching || setup.fetching}>
          {mode === 'login' ? 'Sign in' : 'Create the owner account'}
        </button>
        <button type="button" className="link" onClick={() => setMode(mode === 'login' ? 'setup' : 'login')}>
          {mode === 'login' ? 'First run? Set up the owner account' : 'Back to sign-in'}
        </button>
      </form>
    </main>
  );
}
