import { compileExpression, type ExpressionContext, renderTemplates } from '@trellis/dag-interpreter/expressions';
import { useState } from 'react';
import { useClient, useQuery } from 'urql';
import { graphql } from '../api/graphql';

const PAST_RUNS = graphql(`
  query TesterRuns($agentId: ID!) {
    runs(agentId: $agentId, first: 20) { nodes { id status startedAt agentVersion { version } } }
  }
`);

const RECORDED = graphql(`
  query TesterRun($id: ID!) {
    run(id: $id) { id input nodes { nodeId status output error { message } } }
  }
`);

interface RecordedRun {
  id: string;
  input: unknown;
  nodes: { nodeId: string; status: string; output: unknown; error: { message: string } | null }[];
}

/** The expression context a run's recorded input and node outputs give, as the workflow builds it. */
function contextOf(run: RecordedRun): ExpressionContext {
  const nodes: ExpressionContext['nodes'] = {};
  for (const node of run.nodes) {
    if (node.status === 'PENDING') continue;
    nodes[node.nodeId] = { output: node.output, status: node.status, ...(node.error && { error: node.error }) };
  }
  return { input: run.input, nodes };
}

/**
 * Evaluates an edge condition (a bare JSONata expression) or a template (`{{ … }}` text) in the browser, with
 * the interpreter's own evaluator, against the recorded input and outputs of one of the agent's past runs.
 */
export function ExpressionTester({ agentId, initial, mode }: { agentId: string; initial: string; mode: 'condition' | 'template' }) {
  const [{ data }] = useQuery({
    query: PAST_RUNS,
    variables: { agentId },
  });
  const client = useClient();
  const [runId, setRunId] = useState('');
  const [source, setSource] = useState(initial);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const evaluate = async () => {
    const recorded = await client.query(RECORDED, { id: runId }, { requestPolicy: 'network-only' }).toPromise();
    if (!recorded.data) return setResult({ ok: false, text: recorded.error?.message ?? 'The run could not be read' });
    const context = contextOf(recorded.data.run);
    try {
      const value = mode === 'condition' ? await compileExpression(source).evaluate(context) : await renderTemplates(source, context);
      const text = value === undefined ? 'undefined (selects nothing)' : JSON.stringify(value, null, 2);
      setResult({ ok: true, text: mode === 'condition' ? `${text} → the edge is ${value ? 'taken' : 'not taken'}` : text });
    } catch (error) {
      setResult({ ok: false, text: (error as Error).message });
    }
  };

  const runs = data?.runs.nodes ?? [];
  return (
    <fieldset aria-label="Expression tester" className="tester">
      <legend>Test {mode === 'condition' ? 'the condition' : 'a template'} on a past run</legend>
      <label>
        Run
        <select value={runId} onChange={(event) => setRunId(event.target.value)}>
          <option value="">{runs.length ? 'Choose a run…' : 'No runs yet'}</option>
          {runs.map((run) => (
            <option key={run.id} value={run.id}>
              v{run.agentVersion.version} · {run.status} · {new Date(run.startedAt).toLocaleString()}
            </option>
          ))}
        </select>
      </label>
      <label>
        {mode === 'condition' ? 'Condition (JSONata)' : 'Template'}
        <input value={source} spellCheck={false} onChange={(event) => setSource(event.target.value)} />
      </label>
      <button type="button" disabled={!runId || !source.trim()} onClick={() => void evaluate()}>
        Evaluate
      </button>
      {result && (
        <pre aria-label="Result" className={result.ok ? 'ok' : 'error'}>
          {result.text}
        </pre>
      )}
    </fieldset>
  );
}
