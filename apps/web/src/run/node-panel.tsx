import { Link } from '@tanstack/react-router';
import { useCallback, useEffect, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { atLeast } from '../api/roles';
import { ApprovalCard, DecidedApproval } from '../approvals/approval-card';
import { useRole } from '../layout/session-context';
import { AgentTurns } from './agent-turns';
import { JsonViewer } from './json-viewer';
import { StatusBadge } from '../screens/status-badge';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const NODE = graphql(`
  query RunNodePanel($id: ID!, $nodeId: String!) {
    run(id: $id) {
      id
      node(nodeId: $nodeId) {
        nodeId type status attempts reused startedAt finishedAt
        error { message type }
        outputPreview(maxBytes: 8192) { text truncated bytes }
        attemptHistory { attempt startedAt finishedAt error }
        childRun { id status agent { name } }
      }
      childRuns(first: 200) { id status startedAt }
      approvals { id nodeId message details assignees dueAt requestedAt form status decidedBy decidedAt comment closedReason values }
    }
  }
`);

const FULL_OUTPUT = graphql(`
  query RunNodeOutput($id: ID!, $nodeId: String!) {
    run(id: $id) { id node(nodeId: $nodeId) { nodeId output } }
  }
`);

const RECORDED = graphql(`
  query RunRecordedValues($id: ID!) {
    run(id: $id) { id input nodes { nodeId status output error { message } } }
  }
`);

/** Tabs of the node panel; the chosen one lives in the URL. */
export const NODE_TABS = ['output', 'config', 'error', 'attempts', 'approvals', 'turns', 'children'] as const;
export type NodeTab = (typeof NODE_TABS)[number];

/**
 * One node of a run: its output (a preview, the whole on request), its config as written and as rendered
 * with the run's recorded values, its error, its attempts, an `agent` node's turns and tool calls, and
 * the child runs of `subflow` and `forEach` nodes.
 */
export function NodePanel({
  runId,
  nodeId,
  config,
  tab,
  onTab,
  refreshKey,
}: {
  runId: string;
  nodeId: string;
  config: unknown;
  tab: NodeTab;
  onTab: (tab: NodeTab) => void;
  /** Changes whenever the run has news (its last event's sequence): the panel reads the node again. */
  refreshKey?: number;
}) {
  const client = useClient();
  const [{ data, error }, reload] = useQuery({
    query: NODE,
    variables: { id: runId, nodeId },
    requestPolicy: 'cache-and-network',
  });
  const node = data?.run.node;
  useEffect(() => {
    if (refreshKey !== undefined) reload({ requestPolicy: 'network-only' });
  }, [refreshKey, reload]);
  const approvals = data?.run.approvals.filter((approval) => approval.nodeId === nodeId) ?? [];
  const role = useRole();
  const tabs = NODE_TABS.filter((candidate) => {
    if (candidate === 'turns') return node?.type === 'agent';
    if (candidate === 'children') return node?.type === 'subflow' || node?.type === 'forEach';
    if (candidate === 'approvals') return approvals.length > 0;
    return true;
  });
  const shown = tabs.includes(tab) ? tab : 'output';
  const loadOutput = useCallback(async () => {
    const result = await client.query(FULL_OUTPUT, { id: runId, nodeId }, { requestPolicy: 'network-only' }).toPromise();
    if (result.error) throw new Error(result.error.message);
    return result.data?.run.node?.output;
  }, [client, runId, nodeId]);

  if (error) return <p role="alert" className="error">{messageOf(error)}</p>;
  if (!node) return <p>Loading…</p>;
  return (
    <aside className="node-panel" aria-label={`Node ${node.nodeId}`}>
      <header className="section-header">
        <h2>
          {node.nodeId} <span className="dag-node-type">{node.type}</span> <StatusBadge status={node.status} />
          {node.reused && <span className="reused"> ♻ reused</span>}
        </h2>
      </header>
      <div role="tablist" className="tabs">
        {tabs.map((candidate) => (
          <button key={candidate} type="button" role="tab" aria-selected={candidate === shown} onClick={() => onTab(candidate)}>
            {candidate}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {shown === 'output' && (
          <JsonViewer key={nodeId} label="Output" preview={node.outputPreview} load={loadOutput} />
        )}
        {shown === 'config' && <RenderedConfig runId={runId} config={config} />}
        {shown === 'error' &&
          (node.error ? (
            <p className="error">
              {node.error.type && <code>{node.error.type}</code>} {node.error.message}
            </p>
          ) : (
            <p className="hint">No error.</p>
          ))}
        {shown === 'attempts' && (
          <ol aria-label="Attempts">
            {node.attemptHistory.map((attempt) => (
              <li key={attempt.attempt}>
                Attempt {attempt.attempt}: {new Date(attempt.startedAt).toLocaleTimeString()}
                {attempt.finishedAt && ` → ${((Date.parse(attempt.finishedAt) - Date.parse(attempt.startedAt)) / 1000).toFixed(2)} s`}
                {attempt.error && <span className="error"> — {attempt.error}</span>}
              </li>
            ))}
            {node.attemptHistory.length === 0 && <li>No activity attempt (this node type runs in the workflow).</li>}
          </ol>
        )}
        {shown === 'turns' && <LoadedAgentTurns load={loadOutput} />}
        {shown === 'approvals' &&
          approvals.map((approval) =>
            approval.status === 'PENDING' && !approval.closedReason ? (
              <ApprovalCard key={approval.id} approval={approval} canDecide={atLeast(role, 'OPERATOR')} onDecided={() => reload({ requestPolicy: 'network-only' })} />
            ) : (
              <ul key={approval.id} className="decided-list">
                <DecidedApproval approval={approval} />
              </ul>
            ),
          )}
        {shown === 'children' && (
          <ul aria-label="Child runs">
            {node.childRun && (
              <li>
                <Link to="/runs/$runId" params={{ runId: node.childRun.id }}>
                  {node.childRun.agent.name} · {node.childRun.id.slice(0, 8)}
                </Link>{' '}
                <StatusBadge status={node.childRun.status} />
              </li>
            )}
            {!node.childRun &&
              data.run.childRuns.map((child) => (
                <li key={child.id}>
                  <Link to="/runs/$runId" params={{ runId: child.id }}>
                    {child.id.slice(0, 8)}
                  </Link>{' '}
                  <StatusBadge status={child.status} />
                </li>
              ))}
          </ul>
        )}
      </div>
    </aside>
  );
}

/** An agent node's turns, read from its whole output. */
function LoadedAgentTurns({ load }: { load: () => Promise<unknown> }) {
  const [output, setOutput] = useState<{ value: unknown } | { error: string } | null>(null);
  useEffect(() => {
    load().then(
      (value) => setOutput({ value }),
      (error: unknown) => setOutput({ error: (error as Error).message }),
    );
  }, [load]);
  if (!output) return <p>Loading…</p>;
  if ('error' in output) return <p role="alert" className="error">{output.error}</p>;
  return <AgentTurns output={output.value} />;
}

/** The node's config as written, and on request as the run's recorded input and outputs render it. */
function RenderedConfig({ runId, config }: { runId: string; config: unknown }) {
  const client = useClient();
  const [rendered, setRendered] = useState<{ ok: boolean; text: string } | null>(null);
  const render = async () => {
    const result = await client.query(RECORDED, { id: runId }).toPromise();
    if (!result.data) return setRendered({ ok: false, text: result.error?.message ?? 'The run could not be read' });
    const nodes = Object.fromEntries(
      result.data.run.nodes.filter((node) => node.status !== 'PENDING').map((node) => [node.nodeId, { output: node.output, status: node.status, ...(node.error && { error: node.error }) }]),
    );
    try {
      // JSONata loads with the first rendering: most visits to a run never render a config.
      const { renderTemplates } = await import('@trellis/dag-interpreter/expressions');
      setRendered({ ok: true, text: JSON.stringify(await renderTemplates(config, { input: result.data.run.input, nodes }), null, 2) });
    } catch (renderError) {
      setRendered({ ok: false, text: (renderError as Error).message });
    }
  };
  return (
    <div className="side-by-side">
      <div>
        <h3>As written</h3>
        <pre aria-label="Config as written">{JSON.stringify(config ?? {}, null, 2)}</pre>
      </div>
      <div>
        <h3>Rendered with this run's values</h3>
        {rendered ? (
          <pre aria-label="Config as rendered" className={rendered.ok ? undefined : 'error'}>
            {rendered.text}
          </pre>
        ) : (
          <button type="button" onClick={() => void render()}>
            Render
          </button>
        )}
      </div>
    </div>
  );
}
