import { createContext, useContext } from 'react';
import type { Me, Membership } from '../api/me';

/** The signed-in session as the screens see it: who, their role in the current workspace, and how to sign out. */
export interface Session {
  me: Me;
  role: Membership['role'] | undefined;
  onSignedOut: () => void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in session. @throws Error outside the signed-in app (a programming error) */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in app');
  return session;
}

/** The role in the current workspace. */
export function useRole(): Membership['role'] | undefined {
  return useSession().role;
}
