import { Link, useNavigate } from '@tanstack/react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { atLeast } from '../api/roles';
import { useRole } from '../layout/session-context';
import { StatusBadge } from '../screens/status-badge';
import { RUN_STATUSES, RUN_TRIGGERS, type RunSearch, runFilterOf } from './run-search';
import { type RunRow, useRunPages } from './use-run-pages';
import { graphql } from '../api/graphql';

const FILTER_CHOICES = graphql(`
  query RunFilterChoices {
    agents { id name }
  }
`);

const SCHEDULES = graphql(`
  query RunFilterSchedules($agentId: ID!) {
    schedules(agentId: $agentId) { id cron interval }
  }
`);

const RUN_UPDATED = graphql(`
  subscription RunsListUpdated($agentId: ID) {
    runUpdated(agentId: $agentId) { id status finishedAt }
  }
`);

const CANCEL = graphql(`
  mutation CancelFromList($id: ID!) { cancelRun(id: $id) { id status } }
`);
const RETRY = graphql(`
  mutation RetryFromList($id: ID!) { retryRun(id: $id) { id } }
`);

/** Height of one row of the list (px); the virtualiser places rows by it. */
const ROW_HEIGHT = 38;
/** Rows from the end of what is loaded at which the next page is fetched. */
const PREFETCH_ROWS = 20;
const CANCELLABLE = new Set(['RUNNING', 'WAITING']);
const RETRYABLE = new Set(['FAILED', 'CANCELLED']);

/**
 * Every run of the workspace, newest first, filtered by what the URL holds (agent, version, statuses,
 * triggers, schedule, time range, input search). Only the rows on screen are rendered and pages load as
 * the list scrolls; status changes arrive live through `runUpdated`. Operators select runs to cancel or
 * retry them together.
 */
export function RunsList({ search }: { search: RunSearch }) {
  const navigate = useNavigate();
  const role = useRole();
  const filter = useMemo(() => runFilterOf(search), [search]);
  const pages = useRunPages(filter);
  const { rows, loadMore, refreshHead, updateRow } = pages;
  const [{ data: choices }] = useQuery({ query: FILTER_CHOICES });
  const [updates] = useSubscription({
    query: RUN_UPDATED,
    variables: { agentId: search.agent ?? null },
  });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<string | null>(null);
  const [, cancel] = useMutation(CANCEL);
  const [, retry] = useMutation(RETRY);

  const update = updates.data?.runUpdated;
  const shownIds = useRef(new Set<string>());
  shownIds.current = new Set(rows.map((row) => row.id));
  useEffect(() => {
    if (!update) return;
    // A run already shown changes in place; any other may be new and matching: fetch the head again.
    if (shownIds.current.has(update.id)) updateRow(update);
    else void refreshHead();
  }, [update, updateRow, refreshHead]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (lastIndex >= rows.length - PREFETCH_ROWS) void loadMore();
  }, [lastIndex, rows.length, loadMore]);

  const setSearch = (change: Partial<RunSearch>) =>
    void navigate({ to: '/runs', search: { ...search, ...change }, replace: true });
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const chosen = rows.filter((row) => selected.has(row.id));
  const act = async (label: string, eligible: Set<string>, action: (variables: { id: string }) => Promise<{ error?: { message: string } }>) => {
    const targets = chosen.filter((row) => eligible.has(row.status));
    const failures: string[] = [];
    for (const row of targets) {
      const result = await action({ id: row.id });
      if (result.error) failures.push(`${row.id.slice(0, 8)}: ${result.error.message}`);
    }
    setOutcome(`${label} ${targets.length - failures.length} of ${chosen.length} selected${failures.length ? `; ${failures.join('; ')}` : ''}`);
    setSelected(new Set());
    void refreshHead();
  };

  return (
    <section aria-labelledby="runs-heading">
      <header className="section-header">
        <h1 id="runs-heading">Runs</h1>
        <p aria-live="polite">{pages.totalCount === null ? 'Loading…' : `${pages.totalCount} ${pages.totalCount === 1 ? 'run' : 'runs'}`}</p>
      </header>
      <RunFilters search={search} agents={choices?.agents ?? []} onChange={setSearch} />
      {pages.error && <p role="alert" className="error">{pages.error}</p>}
      {atLeast(role, 'OPERATOR') && (
        <div className="actions bulk-actions">
          <span>{chosen.length} selected</span>
          <button type="button" disabled={!chosen.some((row) => CANCELLABLE.has(row.status))} onClick={() => void act('Cancelled', CANCELLABLE, cancel)}>
            Cancel selected
          </button>
          <button type="button" disabled={!chosen.some((row) => RETRYABLE.has(row.status))} onClick={() => void act('Retried', RETRYABLE, retry)}>
            Retry selected
          </button>
          {outcome && <span role="status">{outcome}</span>}
        </div>
      )}
      <div className="runs-list" role="table" aria-label="Runs" aria-rowcount={pages.totalCount ?? -1}>
        <div className="runs-row runs-head" role="row">
          <span role="columnheader">
            <input
              type="checkbox"
              aria-label="Select all loaded runs"
              checked={rows.length > 0 && chosen.length === rows.length}
              onChange={(event) => setSelected(event.target.checked ? new Set(rows.map((row) => row.id)) : new Set())}
            />
          </span>
          <span role="columnheader">Run</span>
          <span role="columnheader">Agent</span>
          <span role="columnheader">Status</span>
          <span role="columnheader">Trigger</span>
          <span role="columnheader">Started</span>
          <span role="columnheader">Duration</span>
        </div>
        <div ref={scroller} className="runs-scroller" data-testid="runs-scroller">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => (
              <RunListRow key={rows[item.index].id} row={rows[item.index]} top={item.start} index={item.index} selected={selected.has(rows[item.index].id)} onToggle={toggle} />
            ))}
          </div>
        </div>
        {pages.totalCount === 0 && <p>No run matches these filters.</p>}
      </div>
    </section>
  );
}

const RunListRow = memo(function RunListRow({ row, top, index, selected, onToggle }: { row: RunRow; top: number; index: number; selected: boolean; onToggle: (id: string) => void }) {
  const duration = row.finishedAt ? (new Date(row.finishedAt).getTime() - new Date(row.startedAt).getTime()) / 1000 : null;
  return (
    <div className="runs-row" role="row" aria-rowindex={index + 2} data-run-id={row.id} style={{ position: 'absolute', top, height: ROW_HEIGHT, left: 0, right: 0 }}>
      <span role="cell">
        <input type="checkbox" aria-label={`Select run ${row.id.slice(0, 8)}`} checked={selected} onChange={() => onToggle(row.id)} />
      </span>
      <span role="cell">
        <Link to="/runs/$runId" params={{ runId: row.id }}>
          {row.id.slice(0, 8)}
        </Link>
      </span>
      <span role="cell">
        {row.agent.name} <span className="dag-node-type">v{row.agentVersion.version}</span>
      </span>
      <span role="cell">
        <StatusBadge status={row.status} />
      </span>
      <span role="cell">{row.trigger}</span>
      <span role="cell">{new Date(row.startedAt).toLocaleString()}</span>
      <span role="cell">{duration === null ? '—' : `${duration.toFixed(1)} s`}</span>
    </div>
  );
});

/** The filter bar; every change goes into the URL, which the list reads. */
function RunFilters({ search, agents, onChange }: { search: RunSearch; agents: { id: string; name: string }[]; onChange: (change: Partial<RunSearch>) => void }) {
  const [{ data: schedules }] = useQuery({
    query: SCHEDULES,
    variables: { agentId: search.agent ?? '' },
    pause: !search.agent,
  });
  const [text, setText] = useState(search.q ?? '');
  // The input search waits for a pause in typing before it changes the URL (and queries).
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((search.q ?? '') !== text) onChange({ q: text || undefined });
    }, 300);
    return () => clearTimeout(timer);
  }, [text, search.q, onChange]);
  const toggleIn = (list: string | undefined, value: string) => {
    const values = new Set(list ? list.split(',') : []);
    if (!values.delete(value)) values.add(value);
    return values.size ? [...values].join(',') : undefined;
  };
  const local = (iso: string | undefined) => (iso ? iso.slice(0, 16) : '');
  return (
    <form className="run-filters" aria-label="Run filters" onSubmit={(event) => event.preventDefault()}>
      <label>
        Agent
        <select value={search.agent ?? ''} onChange={(event) => onChange({ agent: event.target.value || undefined, version: undefined, schedule: undefined })}>
          <option value="">All agents</option>
          {agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Version
        <input type="number" min={1} disabled={!search.agent} value={search.version ?? ''} onChange={(event) => onChange({ version: Number(event.target.value) || undefined })} />
      </label>
      <label>
        Schedule
        <select disabled={!search.agent} value={search.schedule ?? ''} onChange={(event) => onChange({ schedule: event.target.value || undefined })}>
          <option value="">Any</option>
          {schedules?.schedules.map((schedule) => (
            <option key={schedule.id} value={schedule.id}>
              {schedule.cron ? `cron ${schedule.cron}` : `every ${schedule.interval}`}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Status</legend>
        {RUN_STATUSES.map((status) => (
          <label key={status} className="check">
            <input type="checkbox" checked={search.status?.split(',').includes(status) ?? false} onChange={() => onChange({ status: toggleIn(search.status, status) })} /> {status.toLowerCase()}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Trigger</legend>
        {RUN_TRIGGERS.map((trigger) => (
          <label key={trigger} className="check">
            <input type="checkbox" checked={search.trigger?.split(',').includes(trigger) ?? false} onChange={() => onChange({ trigger: toggleIn(search.trigger, trigger) })} /> {trigger.toLowerCase()}
          </label>
        ))}
      </fieldset>
      <label>
        From
        <input type="datetime-local" value={local(search.from)} onChange={(event) => onChange({ from: event.target.value || undefined })} />
      </label>
      <label>
        To
        <input type="datetime-local" value={local(search.to)} onChange={(event) => onChange({ to: event.target.value || undefined })} />
      </label>
      <label>
        Input contains
        <input type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder="acme" />
      </label>
    </form>
  );
}
