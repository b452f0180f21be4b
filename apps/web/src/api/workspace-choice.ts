/**
 * The workspace the dashboard acts in, for a user who belongs to several: sent as the `Trellis-Workspace`
 * header on every request, and kept in this browser's local storage so it survives a reload.
 */
const STORAGE_KEY = 'trellis.workspace';

/** The chosen workspace id, or null when none was chosen (the API then uses the user's only workspace). */
export function chosenWorkspace(): string | null {
  return localStorage.getItem(STORAGE_KEY);
}

/** Remembers `workspaceId` as the workspace to act in (null forgets the choice). */
export function chooseWorkspace(workspaceId: string | null): void {
  if (workspaceId === null) localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, workspaceId);
}
