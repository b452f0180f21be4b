import { Link, useNavigate } from '@tanstack/react-router';
import { resolvedRetryPolicy, type ResolvedRetryPolicy } from '@trellis/dag-interpreter/retry-policy';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useClient, useMutation, useQuery, useSubscription } from 'urql';
import { useConnection } from '../api/connection';
import { atLeast } from '../api/roles';
import { type CanvasEditing, DagCanvas, type NodeLook } from '../canvas/dag-canvas';
import type { NodeStatus } from '../canvas/status';
import type { DagDoc } from '../editor/dag-edits';
import { useRole } from '../layout/session-context';
import { JsonViewer } from '../run/json-viewer';
import { NodePanel, type NodeTab } from '../run/node-panel';
import { RetryPanel } from './retry-panel';
import { type Attempt, RunTimeline } from './run-timeline';
import { StatusBadge } from './status-badge';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

// The comparison (and its JSON diff) loads when a run is first compared.
const RunCompare = lazy(() => import('../run/run-compare').then((module) => ({ default: module.RunCompare })));

const RUN = graphql(`
  query Run($id: ID!) {
    run(id: $id) {
      id
      status
      trigger
      startedAt
      finishedAt
      temporalUiUrl
      agent { id name }
      agentVersion { version dag }
      parentRun { id agent { name } }
      retryOf { id }
      error { message }
      outputPreview(maxBytes: 4096) { text truncated bytes }
      nodes {
        nodeId type status attempts reused startedAt finishedAt error { message }
        attemptHistory { attempt startedAt finishedAt error }
      }
    }
  }
`);

const CANCEL = graphql(`
  mutation CancelFromRunView($id: ID!) { cancelRun(id: $id) { id status } }
`);

const RUN_OUTPUT = graphql(`
  query RunOutput($id: ID!) { run(id: $id) { id output } }
`);

const RUN_EVENTS = graphql(`
  subscription RunEvents($runId: ID!, $afterSequence: Int!) {
    runEvents(runId: $runId, afterSequence: $afterSequence) { sequence type nodeId }
  }
`);

const SIBLINGS = graphql(`
  query ComparableRuns($agentId: ID!) {
    runs(filter: { agentId: $agentId }, first: 50) { nodes { id status startedAt agentVersion { version } } }
  }
`);

interface NodeRunRow {
  nodeId: string;
  type: string;
  status: NodeStatus;
  attempts: number;
  reused: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  error: { message: string } | null;
  attemptHistory: Attempt[];
}

/** What the URL says about the view: the picked node and tab, and the run compared with. */
export interface RunViewSearch {
  node?: string;
  tab?: NodeTab;
  compare?: string;
}

function durationOf(node: NodeRunRow): number | null {
  if (!node.startedAt) return null;
  return (node.finishedAt ? Date.parse(node.finishedAt) : Date.now()) - Date.parse(node.startedAt);
}

/**
 * A run: its DAG with each node's live status, attempts and duration; the timeline of attempts; the picked
 * node's panel; retry; and the comparison with another run of the agent. Every event of `runEvents`
 * reloads the run; after a lost connection the subscription resumes after the last event seen.
 */
export function RunView({ runId, search }: { runId: string; search: RunViewSearch }) {
  const role = useRole();
  const navigate = useNavigate();
  const client = useClient();
  const [{ data: result, error }, reload] = useQuery({ query: RUN, variables: { id: runId } });
  // The version's DAG is a JSON scalar, untyped on the wire; a stored version holds a validated DAG.
  const data = useMemo(() => (result ? { run: { ...result.run, agentVersion: { ...result.run.agentVersion, dag: result.run.agentVersion.dag as DagDoc } } } : undefined), [result]);
  const [cancelling, cancel] = useMutation(CANCEL);
  const lastSeen = useRef(0);
  const [resumeAfter, setResumeAfter] = useState(0);
  const { reconnections } = useConnection();
  useEffect(() => {
    if (reconnections > 0) setResumeAfter(lastSeen.current);
  }, [reconnections]);
  const [events] = useSubscription({ query: RUN_EVENTS, variables: { runId, afterSequence: resumeAfter } });
  const lastSequence = events.data?.runEvents.sequence;
  useEffect(() => {
    if (lastSequence === undefined) return;
    lastSeen.current = Math.max(lastSeen.current, lastSequence);
    reload({ requestPolicy: 'network-only' });
  }, [lastSequence, reload]);

  const states = useMemo(
    () => new Map<string, NodeLook>((data?.run.nodes ?? []).map((node) => [node.nodeId, { status: node.status, attempts: node.attempts, durationMs: durationOf(node) }])),
    [data],
  );
  const policies = useMemo(() => {
    const byNode = new Map<string, ResolvedRetryPolicy>();
    for (const node of data?.run.agentVersion.dag.nodes ?? []) {
      try {
        byNode.set(node.id, resolvedRetryPolicy(node as Parameters<typeof resolvedRetryPolicy>[0]));
      } catch {
        // A stored DAG was validated; a policy that does not parse has no countdown.
      }
    }
    return byNode;
  }, [data]);
  const setSearch = (change: Partial<RunViewSearch>) => void navigate({ to: '/runs/$runId', params: { runId }, search: { ...search, ...change }, replace: true });
  const selection = search.node ? ({ kind: 'node', id: search.node } as const) : null;
  const picking = useMemo<CanvasEditing>(
    () => ({ selection, onSelect: (picked) => setSearch({ node: picked?.kind === 'node' ? picked.id : undefined }), }),
    // `setSearch` changes with the search; the selection is all the canvas needs to follow.
    [search.node, search.tab, search.compare],
  );

  if (error) return <p role="alert" className="error">{messageOf(error)}</p>;
  if (!data) return <p>Loading…</p>;
  const { run } = data;
  const pickedConfig = run.agentVersion.dag.nodes.find((node) => node.id === search.node)?.config;
  return (
    <section aria-labelledby="run-heading">
      <header className="section-header">
        <div>
          <Link to="/agents/$agentId" params={{ agentId: run.agent.id }}>
            {run.agent.name}
          </Link>{' '}
          · v{run.agentVersion.version} · {run.trigger.toLowerCase()}
          {run.parentRun && (
            <>
              {' '}
              · started by{' '}
              <Link to="/runs/$runId" params={{ runId: run.parentRun.id }}>
                {run.parentRun.agent.name} run {run.parentRun.id.slice(0, 8)}
              </Link>
            </>
          )}
          {run.retryOf && (
            <>
              {' '}
              · retries{' '}
              <Link to="/runs/$runId" params={{ runId: run.retryOf.id }}>
                run {run.retryOf.id.slice(0, 8)}
              </Link>
            </>
          )}
          <h1 id="run-heading">
            Run {run.id.slice(0, 8)} <StatusBadge status={run.status} />
          </h1>
          {run.error && <p role="alert" className="error">{run.error.message}</p>}
          {cancelling.error && <p role="alert" className="error">{messageOf(cancelling.error)}</p>}
        </div>
        <div className="actions">
          {(run.status === 'RUNNING' || run.status === 'WAITING') && atLeast(role, 'OPERATOR') && (
            <button type="button" className="danger" disabled={cancelling.fetching} onClick={() => void cancel({ id: run.id })}>
              Cancel run
            </button>
          )}
          {run.temporalUiUrl && (
            <a className="button" href={run.temporalUiUrl} target="_blank" rel="noreferrer">
              Open in Temporal UI
            </a>
          )}
          <CompareChooser agentId={run.agent.id} runId={run.id} value={search.compare} onChange={(compare) => setSearch({ compare })} />
        </div>
      </header>
      <div className={search.node ? 'run-layout run-layout-with-panel' : 'run-layout'}>
        <DagCanvas dag={run.agentVersion.dag} states={states} editing={picking} />
        {search.node && (
          <NodePanel key={search.node} runId={run.id} nodeId={search.node} config={pickedConfig} tab={search.tab ?? 'output'} onTab={(tab) => setSearch({ tab })} refreshKey={lastSequence} />
        )}
      </div>
      {search.compare && (
        <Suspense fallback={<p>Loading the comparison…</p>}>
          <RunCompare runId={run.id} otherId={search.compare} />
        </Suspense>
      )}
      {(run.status === 'FAILED' || run.status === 'CANCELLED') && atLeast(role, 'OPERATOR') && (
        <RetryPanel runId={run.id} nodeIds={run.nodes.map((node) => node.nodeId)} />
      )}
      <h2>Timeline</h2>
      <RunTimeline runStartedAt={run.startedAt} runFinishedAt={run.finishedAt} nodes={run.nodes} policies={policies} />
      {run.status === 'SUCCEEDED' && (
        <>
          <h2>Output</h2>
          <JsonViewer
            key={run.id}
            label="Run output"
            preview={run.outputPreview}
            load={async () => (await client.query(RUN_OUTPUT, { id: run.id }).toPromise()).data?.run.output}
          />
        </>
      )}
      <div className="table-scroll">
      <table className="agents" aria-label="Nodes">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {run.nodes.map((node) => (
            <tr key={node.nodeId} data-node-row={node.nodeId}>
              <td>
                <button type="button" className="link" onClick={() => setSearch({ node: node.nodeId })}>
                  {node.nodeId}
                </button>
              </td>
              <td>{node.type}</td>
              <td>
                <StatusBadge status={node.status} />
                {node.reused && <span className="reused"> ♻ reused</span>}
              </td>
              <td>{node.attempts}</td>
              <td>{node.error?.message ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </section>
  );
}

/** Picks another run of the same agent to compare with (newest 50). */
function CompareChooser({ agentId, runId, value, onChange }: { agentId: string; runId: string; value?: string; onChange: (id: string | undefined) => void }) {
  const [{ data }] = useQuery({ query: SIBLINGS, variables: { agentId } });
  return (
    <label className="compare-chooser">
      Compare with
      <select value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">—</option>
        {data?.runs.nodes
          .filter((other) => other.id !== runId)
          .map((other) => (
            <option key={other.id} value={other.id}>
              {other.id.slice(0, 8)} · v{other.agentVersion.version} · {other.status.toLowerCase()} · {new Date(other.startedAt).toLocaleString()}
            </option>
          ))}
      </select>
    </label>
  );
}
