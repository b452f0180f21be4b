import { Link, Outlet } from '@tanstack/react-router';
import { useMutation } from 'urql';
import { useConnection } from '../api/connection';
import { chooseWorkspace, chosenWorkspace } from '../api/workspace-choice';
import { useSession } from './session-context';
import { graphql } from '../api/graphql';

const LOGOUT = graphql(`
  mutation Logout {
    logout
  }
`);

/**
 * The frame of every signed-in screen: the user, the workspace switcher (for users in several workspaces)
 * and sign-out. Switching workspace reloads the page, so no data of the previous workspace stays on screen.
 */
export function AppShell() {
  const { me, onSignedOut } = useSession();
  const connection = useConnection();
  const [, logout] = useMutation(LOGOUT);
  const current = chosenWorkspace() ?? me.workspaces[0]?.workspace.id ?? '';
  return (
    <div className="shell">
      <header className="topbar">
        <strong className="brand">Trellis</strong>
        <nav aria-label="Main">
          <Link to="/" activeOptions={{ exact: true }}>Agents</Link>
          <Link to="/runs">Runs</Link>
          <Link to="/inbox">Approvals</Link>
          <Link to="/settings">Settings</Link>
        </nav>
        <label className="workspace-switcher">
          Workspace
          <select
            aria-label="Workspace"
            value={current}
            onChange={(event) => {
              chooseWorkspace(event.target.value);
              location.reload();
            }}
          >
            {me.workspaces.map(({ workspace, role }) => (
              <option key={workspace.id} value={workspace.id}>
                {workspace.name} ({role})
              </option>
            ))}
          </select>
        </label>
        <span className="who">{me.user?.email ?? 'API key'}</span>
        <button
          type="button"
          onClick={async () => {
            await logout({});
            chooseWorkspace(null);
            onSignedOut();
          }}
        >
          Sign out
        </button>
      </header>
      {connection.status === 'lost' && (
        <p role="alert" className="connection-lost">
          Connection to Trellis lost: live updates are paused and resume by themselves once it is back.
        </p>
      )}
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
