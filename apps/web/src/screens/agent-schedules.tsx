import { Link } from '@tanstack/react-router';
import cronstrue from 'cronstrue';
import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { atLeast } from '../api/roles';
import { useRole } from '../layout/session-context';
import { StatusBadge } from './status-badge';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const SCHEDULES = graphql(`
  query AgentSchedules($agentId: ID!) {
    schedules(agentId: $agentId) {
      id cron interval timezone paused note nextFireTimes
      recentActions { scheduledAt run { id status } }
    }
  }
`);

const CREATE = graphql(`
  mutation CreateSchedule($input: CreateScheduleInput!) {
    createSchedule(input: $input) { id }
  }
`);
const PAUSE = graphql(`
  mutation PauseSchedule($id: ID!, $note: String) {
    pauseSchedule(id: $id, note: $note) { id paused note }
  }
`);
const UNPAUSE = graphql(`
  mutation UnpauseSchedule($id: ID!) {
    unpauseSchedule(id: $id) { id paused }
  }
`);
const UPDATE = graphql(`
  mutation UpdateSchedule($id: ID!, $input: UpdateScheduleInput!) {
    updateSchedule(id: $id, input: $input) { id cron interval }
  }
`);
const BACKFILL = graphql(`
  mutation BackfillSchedule($id: ID!, $start: DateTime!, $end: DateTime!, $overlapPolicy: ScheduleOverlapPolicy) {
    backfillSchedule(id: $id, start: $start, end: $end, overlapPolicy: $overlapPolicy) { id }
  }
`);
const TRIGGER = graphql(`
  mutation TriggerSchedule($id: ID!) {
    triggerSchedule(id: $id) { id }
  }
`);

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

/** When a schedule fires, in words: `every 1h`, or the cron expression read out by cronstrue, with its time zone. */
function describeTiming(schedule: ScheduleRow): string {
  if (schedule.interval) return `every ${schedule.interval}`;
  try {
    return `${cronstrue.toString(schedule.cron ?? '', { use24HourTimeFormat: true, verbose: true })} (${schedule.timezone})`;
  } catch {
    return `cron ${schedule.cron} (${schedule.timezone})`;
  }
}

/** A timing as typed: five fields make a cron expression; anything else is taken as an interval such as "15m". */
function timingInput(text: string): { cron: string } | { interval: string } {
  const value = text.trim();
  return value.split(/\s+/).length === 5 ? { cron: value } : { interval: value };
}

/** An agent's schedules: timing, next fires, recent runs; create, pause with a note, unpause, trigger now. */
export function AgentSchedules({ agentId }: { agentId: string }) {
  const role = useRole();
  const [{ data, error }, reload] = useQuery({ query: SCHEDULES, variables: { agentId }, requestPolicy: 'network-only' });
  const [created, create] = useMutation(CREATE);
  const [timing, setTiming] = useState('');
  const refresh = () => reload({ requestPolicy: 'network-only' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create({ input: { agentId, ...timingInput(timing) } });
    if (!result.error) {
      setTiming('');
      refresh();
    }
  };

  return (
    <>
      <h2>Schedules</h2>
      {error && <p role="alert" className="error">{messageOf(error)}</p>}
      {atLeast(role, 'EDITOR') && (
        <form className="inline-form" onSubmit={submit} aria-label="Create a schedule">
          <input aria-label="Schedule timing" placeholder='An interval ("15m") or a cron expression ("0 9 * * 1-5")' value={timing} onChange={(event) => setTiming(event.target.value)} required size={40} />
          <button type="submit" disabled={created.fetching}>
            Add schedule
          </button>
        </form>
      )}
      {created.error && <p role="alert" className="error">{messageOf(created.error)}</p>}
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
              <ScheduleRowView key={schedule.id} schedule={schedule} onChanged={refresh} />
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

/** One schedule: its timing in words, state, next fires, recent runs, and what the role may do with it. */
function ScheduleRowView({ schedule, onChanged }: { schedule: ScheduleRow; onChanged: () => void }) {
  const role = useRole();
  const [, pause] = useMutation(PAUSE);
  const [, unpause] = useMutation(UNPAUSE);
  const [, trigger] = useMutation(TRIGGER);
  const [updated, update] = useMutation(UPDATE);
  const [backfilled, backfill] = useMutation(BACKFILL);
  const [open, setOpen] = useState<'pause' | 'edit' | 'backfill' | null>(null);
  const [text, setText] = useState('');
  const [range, setRange] = useState({ start: '', end: '', overlap: '' });
  const act = async (action: () => Promise<{ error?: unknown }>) => {
    const result = await action();
    if (!result.error) {
      setOpen(null);
      setText('');
      onChanged();
    }
  };
  const error = updated.error ?? backfilled.error;
  return (
    <tr data-schedule-id={schedule.id}>
      <td>
        {describeTiming(schedule)}
        {schedule.cron && <div className="hint">{schedule.cron}</div>}
      </td>
      <td>{schedule.paused ? `Paused${schedule.note ? `: ${schedule.note}` : ''}` : 'Active'}</td>
      <td>
        <ol className="fire-times" aria-label="Next fires">
          {(schedule.nextFireTimes ?? []).map((time) => (
            <li key={time}>{new Date(time).toLocaleString()}</li>
          ))}
        </ol>
        {(schedule.nextFireTimes ?? []).length === 0 && '—'}
      </td>
      <td>
        {(schedule.recentActions ?? []).map((action) =>
          action.run ? (
            <Link key={action.scheduledAt} to="/runs/$runId" params={{ runId: action.run.id }} className="recent-run">
              <StatusBadge status={action.run.status} />
            </Link>
          ) : null,
        )}
      </td>
      <td>
        <div className="actions">
          {atLeast(role, 'OPERATOR') && (
            <button type="button" onClick={() => void act(() => trigger({ id: schedule.id }))}>
              Trigger now
            </button>
          )}
          {atLeast(role, 'EDITOR') && (
            <>
              {schedule.paused ? (
                <button type="button" onClick={() => void act(() => unpause({ id: schedule.id }))}>
                  Unpause
                </button>
              ) : (
                <button type="button" onClick={() => setOpen(open === 'pause' ? null : 'pause')}>
                  Pause
                </button>
              )}
              <button type="button" onClick={() => (setOpen(open === 'edit' ? null : 'edit'), setText(schedule.cron ?? schedule.interval ?? ''))}>
                Edit
              </button>
              <button type="button" onClick={() => setOpen(open === 'backfill' ? null : 'backfill')}>
                Backfill
              </button>
            </>
          )}
        </div>
        {open === 'pause' && (
          <form className="inline-form" aria-label="Pause the schedule" onSubmit={(event) => (event.preventDefault(), void act(() => pause({ id: schedule.id, note: text.trim() || null })))}>
            <input aria-label="Pause note" placeholder="Why pause it? (optional)" value={text} onChange={(event) => setText(event.target.value)} />
            <button type="submit">Pause now</button>
          </form>
        )}
        {open === 'edit' && (
          <form className="inline-form" aria-label="Edit the timing" onSubmit={(event) => (event.preventDefault(), void act(() => update({ id: schedule.id, input: timingInput(text) })))}>
            <input aria-label="New timing" value={text} onChange={(event) => setText(event.target.value)} required />
            <button type="submit">Save</button>
          </form>
        )}
        {open === 'backfill' && (
          <form
            className="inline-form"
            aria-label="Backfill"
            onSubmit={(event) => (
              event.preventDefault(),
              void act(() =>
                backfill({ id: schedule.id, start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString(), overlapPolicy: range.overlap === 'ALLOW_ALL' ? 'ALLOW_ALL' : null }),
              )
            )}
          >
            <label>
              From <input type="datetime-local" aria-label="Backfill from" required value={range.start} onChange={(event) => setRange({ ...range, start: event.target.value })} />
            </label>
            <label>
              To <input type="datetime-local" aria-label="Backfill to" required value={range.end} onChange={(event) => setRange({ ...range, end: event.target.value })} />
            </label>
            <label>
              Overlap{' '}
              <select aria-label="Backfill overlap" value={range.overlap} onChange={(event) => setRange({ ...range, overlap: event.target.value })}>
                <option value="">the schedule's own</option>
                <option value="ALLOW_ALL">start every missed run at once</option>
              </select>
            </label>
            <button type="submit">Run the missed fires</button>
          </form>
        )}
        {error && <p role="alert" className="error">{messageOf(error)}</p>}
      </td>
    </tr>
  );
}
