import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { gql, useMutation, useQuery } from 'urql';
import { atLeast } from '../api/roles';
import { useRole } from '../layout/session-context';
import { StatusBadge } from './status-badge';

const SCHEDULES = gql`
  query AgentSchedules($agentId: ID!) {
    schedules(agentId: $agentId) {
      id cron interval timezone paused note nextFireTimes
      recentActions { scheduledAt run { id status } }
    }
  }
`;

const CREATE = gql`
  mutation CreateSchedule($input: CreateScheduleInput!) {
    createSchedule(input: $input) { id }
  }
`;
const PAUSE = gql`
  mutation PauseSchedule($id: ID!, $note: String) {
    pauseSchedule(id: $id, note: $note) { id paused note }
  }
`;
const UNPAUSE = gql`
  mutation UnpauseSchedule($id: ID!) {
    unpauseSchedule(id: $id) { id paused }
  }
`;
const TRIGGER = gql`
  mutation TriggerSchedule($id: ID!) {
    triggerSchedule(id: $id) { id }
  }
`;

interface ScheduleRow {
  id: string;
  cron: string | null;
  interval: string | null;
  timezone: string;
  paused: boolean;
  note: string | null;
  nextFireTimes: string[] | null;
  recentActions: { scheduledAt: string; run: { id: string; status: string } | null }[] | null;
}

/** When a schedule fires, in words: `every 1h`, or the cron expression and its time zone. */
function describeTiming(schedule: ScheduleRow): string {
  return schedule.interval ? `every ${schedule.interval}` : `cron ${schedule.cron} (${schedule.timezone})`;
}

/** An agent's schedules: timing, next fires, recent runs; create, pause with a note, unpause, trigger now. */
export function AgentSchedules({ agentId }: { agentId: string }) {
  const role = useRole();
  const [{ data, error }, reload] = useQuery<{ schedules: ScheduleRow[] }>({ query: SCHEDULES, variables: { agentId }, requestPolicy: 'network-only' });
  const [created, create] = useMutation(CREATE);
  const [, pause] = useMutation(PAUSE);
  const [, unpause] = useMutation(UNPAUSE);
  const [, trigger] = useMutation(TRIGGER);
  const [timing, setTiming] = useState('');
  const refresh = () => reload({ requestPolicy: 'network-only' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = timing.trim();
    // Five fields make a cron expression; anything else is taken as an interval such as "15m".
    const input = value.split(/\s+/).length === 5 ? { agentId, cron: value } : { agentId, interval: value };
    const result = await create({ input });
    if (!result.error) {
      setTiming('');
      refresh();
    }
  };

  return (
    <>
      <h2>Schedules</h2>
      {error && <p role="alert" className="error">{error.graphQLErrors[0]?.message ?? error.message}</p>}
      {atLeast(role, 'EDITOR') && (
        <form className="inline-form" onSubmit={submit} aria-label="Create a schedule">
          <input aria-label="Schedule timing" placeholder='An interval ("15m") or a cron expression ("0 9 * * 1-5")' value={timing} onChange={(event) => setTiming(event.target.value)} required size={40} />
          <button type="submit" disabled={created.fetching}>
            Add schedule
          </button>
        </form>
      )}
      {created.error && <p role="alert" className="error">{created.error.graphQLErrors[0]?.message ?? created.error.message}</p>}
      {data && data.schedules.length === 0 && <p>No schedules.</p>}
      {data && data.schedules.length > 0 && (
        <table className="agents" aria-label="Schedules">
          <thead>
            <tr>
              <th scope="col">Timing</th>
              <th scope="col">State</th>
              <th scope="col">Next fires</th>
              <th scope="col">Recent runs</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {data.schedules.map((schedule) => (
              <tr key={schedule.id} data-schedule-id={schedule.id}>
                <td>{describeTiming(schedule)}</td>
                <td>{schedule.paused ? `Paused${schedule.note ? `: ${schedule.note}` : ''}` : 'Active'}</td>
                <td>{(schedule.nextFireTimes ?? []).slice(0, 2).map((time) => new Date(time).toLocaleString()).join(', ') || '—'}</td>
                <td>
                  {(schedule.recentActions ?? []).map((action) =>
                    action.run ? (
                      <Link key={action.scheduledAt} to="/runs/$runId" params={{ runId: action.run.id }} className="recent-run">
                        <StatusBadge status={action.run.status} />
                      </Link>
                    ) : null,
                  )}
                </td>
                <td className="actions">
                  {atLeast(role, 'OPERATOR') && (
                    <button type="button" onClick={async () => (await trigger({ id: schedule.id }), refresh())}>
                      Trigger now
                    </button>
                  )}
                  {atLeast(role, 'EDITOR') &&
                    (schedule.paused ? (
                      <button type="button" onClick={async () => (await unpause({ id: schedule.id }), refresh())}>
                        Unpause
                      </button>
                    ) : (
                      <button type="button" onClick={async () => (await pause({ id: schedule.id, note: prompt('Why pause it?') ?? undefined }), refresh())}>
                        Pause
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="link" onClick={refresh}>
        Refresh schedules
      </button>
    </>
  );
}
