import { useEffect } from 'react';
import { useMe } from './api/me';
import { chooseWorkspace, chosenWorkspace } from './api/workspace-choice';
import { RouterProvider } from '@tanstack/react-router';
import { SessionContext } from './layout/session-context';
import { router } from './router';
import { SignIn } from './screens/sign-in';
import { AcceptInvitation, invitationToken } from './screens/accept-invitation';

/** Signed out: the sign-in screen. Signed in: the dashboard in the chosen (or only) workspace. */
export function App() {
  const { me, fetching, signedOut, refetch } = useMe();
  // A user in several workspaces must name one; default to the first, and forget a choice that is gone.
  useEffect(() => {
    if (!me || me.workspaces.length === 0) return;
    const chosen = chosenWorkspace();
    if (chosen === null || !me.workspaces.some((entry) => entry.workspace.id === chosen)) {
      chooseWorkspace(me.workspaces[0].workspace.id);
      if (chosen !== null) location.reload();
    }
  }, [me]);
  const invitation = invitationToken();
  if (invitation && (signedOut || me)) return <AcceptInvitation token={invitation} signedIn={!signedOut} onJoined={() => location.reload()} />;
  if (signedOut) return <SignIn onSignedIn={refetch} />;
  if (!me) return <p className="loading">{fetching ? 'Loading…' : 'The API cannot be reached; retrying…'}</p>;
  if (me.workspaces.length === 0) return <p className="loading">You belong to no workspace yet: ask for an invitation.</p>;
  const workspaceId = chosenWorkspace() ?? me.workspaces[0].workspace.id;
  const role = me.workspaces.find((entry) => entry.workspace.id === workspaceId)?.role;
  return (
    <SessionContext.Provider value={{ me, role, onSignedOut: refetch }}>
      <RouterProvider router={router} />
    </SessionContext.Provider>
  );
}
