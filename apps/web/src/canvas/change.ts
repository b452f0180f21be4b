/** How a node or edge differs between two versions. */
export type Change = 'added' | 'removed' | 'changed';

/** How a change is drawn: a word as well as a colour, so it reads without colour too. */
export const CHANGE_LOOK: Record<Change, { label: string; colour: string }> = {
  added: { label: 'Added', colour: '#16a34a' },
  removed: { label: 'Removed', colour: '#dc2626' },
  changed: { label: 'Changed', colour: '#d97706' },
};

/** The key an edge is matched by across versions: its endpoints and branch. */
export function edgeKey(edge: { from: string; to: string; on?: string }): string {
  return `${edge.from}->${edge.to}${edge.on === 'error' ? ' (error)' : ''}`;
}
