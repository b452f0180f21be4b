import { Link } from '@tanstack/react-router';
import { useEffect, useMemo } from 'react';
import { gql, useQuery, useSubscription } from 'urql';
import { DagCanvas, type DagShape } from '../canvas/dag-canvas';
import type { NodeStatus } from '../canvas/status';
import { type Attempt, RunTimeline } from './run-timeline';
import { atLeast } from '../api/roles';
import { useRole } from '../layout/session-context';
import { RetryPanel } from './retry-panel';
import { StatusBadge } from './status-badge';

const RUN = gql`
  query Run($id: ID!) {
    run(id: $id) {
      id
      status
      startedAt
      finishedAt
      agent { id name }
      agentVersion { version dag }
      error { message }
      nodes {
        nodeId type status attempts reused startedAt finishedAt error { message }
        attemptHistory { attempt startedAt finishedAt error }
      }
    }
  }
`;

const RUN_EVENTS = gql`
  subscription RunEvents($runId: ID!) {
    runEvents(runId: $runId) { sequence type nodeId }
  }
`;

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

interface RunData {
  run: {
    id: string;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    agent: { id: string; name: string };
    agentVersion: { version: number; dag: DagShape };
    error: { message: string } | null;
    nodes: NodeRunRow[];
  };
}

function durationOf(node: NodeRunRow): number | null {
  if (!node.startedAt) return null;
  return (node.finishedAt ? Date.parse(node.finishedAt) : Date.now()) - Date.parse(node.startedAt);
}

/**
 * A run: its DAG with each node's live status, attempts and duration, and the nodes as a table. Every event
 * of `runEvents` (which replays the stored ones and resumes after a dropped connection) reloads the run.
 */
export function RunView({ runId }: { runId: string }) {
  const role = useRole();
  const [{ data, error }, reload] = useQuery<RunData>({ query: RUN, variables: { id: runId } });
  const [events] = useSubscription<{ runEvents: { sequence: number } }>({ query: RUN_EVENTS, variables: { runId } });
  const lastSequence = events.data?.runEvents.sequence;
  useEffect(() => {
    if (lastSequence !== undefined) reload({ requestPolicy: 'network-only' });
  }, [lastSequence, reload]);

  const states = useMemo(
    () => new Map((data?.run.nodes ?? []).map((node) => [node.nodeId, { status: node.status, attempts: node.attempts, durationMs: durationOf(node) }])),
    [data],
  );

  if (error) return <p role="alert" className="error">{error.graphQLErrors[0]?.message ?? error.message}</p>;
  if (!data) return <p>Loading…</p>;
  const { run } = data;
  return (
    <section aria-labelledby="run-heading">
      <header className="section-header">
        <div>
          <Link to="/agents/$agentId" params={{ agentId: run.agent.id }}>
            {run.agent.name}
          </Link>{' '}
          · v{run.agentVersion.version}
          <h1 id="run-heading">
            Run {run.id.slice(0, 8)} <StatusBadge status={run.status} />
          </h1>
          {run.error && <p role="alert" className="error">{run.error.message}</p>}
        </div>
      </header>
      <DagCanvas dag={run.agentVersion.dag} states={states} />
      {(run.status === 'FAILED' || run.status === 'CANCELLED') && atLeast(role, 'OPERATOR') && (
        <RetryPanel runId={run.id} nodeIds={run.nodes.map((node) => node.nodeId)} />
      )}
      <h2>Timeline</h2>
      <RunTimeline runStartedAt={run.startedAt} runFinishedAt={run.finishedAt} nodes={run.nodes} />
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
              <td>{node.nodeId}</td>
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
    </section>
  );
}
