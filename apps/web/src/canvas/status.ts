/** A node's state as the API reports it (`NodeStatus`), or none yet for a node that has not been reached. */
export type NodeStatus = 'PENDING' | 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';

/** How a status is shown: an icon and a word as well as a colour, so it reads without colour too. */
export const STATUS_LOOK: Record<NodeStatus, { icon: string; label: string; colour: string }> = {
  PENDING: { icon: '○', label: 'Pending', colour: '#94a3b8' },
  RUNNING: { icon: '◐', label: 'Running', colour: '#2563eb' },
  WAITING: { icon: '⏸', label: 'Waiting', colour: '#d97706' },
  SUCCEEDED: { icon: '✓', label: 'Succeeded', colour: '#16a34a' },
  FAILED: { icon: '✕', label: 'Failed', colour: '#dc2626' },
  SKIPPED: { icon: '⤼', label: 'Skipped', colour: '#64748b' },
  CANCELLED: { icon: '⊘', label: 'Cancelled', colour: '#6b7280' },
};
