import { createContext, useContext } from 'react';
import type { Membership } from '../api/me';

/** The signed-in user's role in the workspace the dashboard acts in. */
export const RoleContext = createContext<Membership['role'] | undefined>(undefined);

/** The role in the current workspace (undefined outside the signed-in app). */
export function useRole(): Membership['role'] | undefined {
  return useContext(RoleContext);
}
