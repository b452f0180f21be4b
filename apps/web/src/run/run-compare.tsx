import { Link } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { jsonChanges } from '../diff/json-changes';
import { StatusBadge } from '../screens/status-badge';
import { formatBytes } from './json-viewer';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

/** Outputs larger than the previews the query asks for (64 KiB) are compared by size only: a diff needs both values whole. */

const COMPARED = graphql(`
  query ComparedRun($id: ID!) {
    run(id: $id) {
      id status startedAt agentVersion { version }
      nodes { nodeId status startedAt finishedAt outputPreview(maxBytes: 65536) { text truncated bytes } }
    }
  }
`);

interface ComparedNode {
  nodeId: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  outputPreview: { text: string; truncated: boolean; bytes: number } | null;
}
function seconds(node: ComparedNode | undefined): string {
  if (!node?.startedAt || !node.finishedAt) return '—';
  return `${((Date.parse(node.finishedAt) - Date.parse(node.startedAt)) / 1000).toFixed(2)} s`;
}

/** How two outputs differ: the changed paths, "same", or sizes when one is too large to compare here. */
function outputDifference(left: ComparedNode | undefined, right: ComparedNode | undefined): string {
  const a = left?.outputPreview ?? null;
  const b = right?.outputPreview ?? null;
  if (!a && !b) return 'no output';
  if (!a || !b) return a ? 'only in this run' : 'only in the other run';
  if (a.truncated || b.truncated) return a.bytes === b.bytes ? `same size (${formatBytes(a.bytes)})` : `${formatBytes(a.bytes)} vs ${formatBytes(b.bytes)}`;
  const changes = jsonChanges(JSON.parse(a.text), JSON.parse(b.text));
  return changes.length === 0 ? 'same' : changes.map((change) => `${change.op} ${change.path || '/'}`).join(', ');
}

/**
 * Two runs of one agent side by side, node by node: status, duration, and how their outputs differ
 * (jsondiffpatch's semantic diff, as changed paths).
 */
export function RunCompare({ runId, otherId }: { runId: string; otherId: string }) {
  const [{ data: mine }] = useQuery({ query: COMPARED, variables: { id: runId } });
  const [{ data: theirs, error }] = useQuery({ query: COMPARED, variables: { id: otherId } });
  const rows = useMemo(() => {
    if (!mine || !theirs) return [];
    const other = new Map(theirs.run.nodes.map((node) => [node.nodeId, node]));
    const ids = [...mine.run.nodes.map((node) => node.nodeId), ...theirs.run.nodes.map((node) => node.nodeId).filter((id) => !mine.run.nodes.some((node) => node.nodeId === id))];
    const own = new Map(mine.run.nodes.map((node) => [node.nodeId, node]));
    return ids.map((id) => ({ id, left: own.get(id), right: other.get(id), difference: outputDifference(own.get(id), other.get(id)) }));
  }, [mine, theirs]);

  if (error) return <p role="alert" className="error">{messageOf(error)}</p>;
  if (!mine || !theirs) return <p>Loading the comparison…</p>;
  return (
    <section aria-label="Comparison" className="comparison">
      <h2>
        Compared with{' '}
        <Link to="/runs/$runId" params={{ runId: otherId }}>
          run {otherId.slice(0, 8)}
        </Link>{' '}
        (v{theirs.run.agentVersion.version}, <StatusBadge status={theirs.run.status} />)
      </h2>
      <table className="agents">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">This run</th>
            <th scope="col">Other run</th>
            <th scope="col">Duration</th>
            <th scope="col">Output</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-compared-node={row.id} data-same={row.difference === 'same' ? 'true' : 'false'}>
              <td>{row.id}</td>
              <td>{row.left ? <StatusBadge status={row.left.status} /> : '—'}</td>
              <td>{row.right ? <StatusBadge status={row.right.status} /> : '—'}</td>
              <td>
                {seconds(row.left)} / {seconds(row.right)}
              </td>
              <td className="output-difference">{row.difference}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
