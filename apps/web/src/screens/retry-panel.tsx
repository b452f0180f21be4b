import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const RETRY_PLAN = graphql(`
  query RetryPlan($id: ID!, $fromNode: String) {
    retryPlan(id: $id, fromNode: $fromNode) { nodeId type reused sideEffects }
  }
`);

const RETRY = graphql(`
  mutation Retry($id: ID!, $fromNode: String) {
    retryRun(id: $id, fromNode: $fromNode) { id }
  }
`);

/**
 * Retry of a failed or cancelled run: from its failed nodes or from a chosen one, with a preview of which
 * nodes reuse their recorded output and which run again, side-effecting ones flagged, before it starts.
 */
export function RetryPanel({ runId, nodeIds }: { runId: string; nodeIds: string[] }) {
  const [fromNode, setFromNode] = useState('');
  const [{ data, error }] = useQuery({
    query: RETRY_PLAN,
    variables: { id: runId, fromNode: fromNode || null },
    requestPolicy: 'network-only',
  });
  const [retry, runRetry] = useMutation(RETRY);
  const navigate = useNavigate();
  const rerun = data?.retryPlan.filter((node) => !node.reused) ?? [];

  return (
    <section className="retry-panel" aria-label="Retry">
      <h2>Retry</h2>
      <label>
        From{' '}
        <select aria-label="Retry from" value={fromNode} onChange={(event) => setFromNode(event.target.value)}>
          <option value="">the failed nodes</option>
          {nodeIds.map((nodeId) => (
            <option key={nodeId} value={nodeId}>
              {nodeId}
            </option>
          ))}
        </select>
      </label>
      {error && <p role="alert" className="error">{messageOf(error)}</p>}
      {data && (
        <ul className="retry-plan">
          {data.retryPlan.map((node) => (
            <li key={node.nodeId} data-plan-node={node.nodeId} data-plan={node.reused ? 'reuse' : 'rerun'}>
              <code>{node.nodeId}</code> {node.reused ? '♻ reuses its recorded output' : '▶ runs again'}
              {node.sideEffects && <strong className="warning"> ⚠ {node.type} runs again: its effects happen a second time</strong>}
            </li>
          ))}
        </ul>
      )}
      {retry.error && <p role="alert" className="error">{messageOf(retry.error)}</p>}
      <button
        type="submit"
        disabled={!data || retry.fetching}
        onClick={async () => {
          const result = await runRetry({ id: runId, fromNode: fromNode || null });
          if (result.data) await navigate({ to: '/runs/$runId', params: { runId: result.data.retryRun.id } });
        }}
      >
        Retry ({rerun.length} {rerun.length === 1 ? 'node runs' : 'nodes run'} again)
      </button>
    </section>
  );
}
