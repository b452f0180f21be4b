import { type NodeStatus, STATUS_LOOK } from '../canvas/status';

/** A run's or node's status as an icon, a word and a colour. */
export function StatusBadge({ status }: { status: string }) {
  const look = STATUS_LOOK[status as NodeStatus] ?? { icon: '•', label: status, colour: '#334155' };
  return (
    <span className="status-badge" data-status={status} style={{ color: look.colour }}>
      <span aria-hidden="true">{look.icon}</span> {look.label}
    </span>
  );
}
