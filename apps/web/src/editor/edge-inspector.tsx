import type { DagEdgeDoc } from './dag-edits';
import { ExpressionTester } from './expression-tester';
import { IssueList } from './issue-list';
import { type DagIssue, issuesUnder } from './issue-errors';

/** The picked edge's panel: which branch it follows, its condition (with a tester), and removal. */
export function EdgeInspector({
  agentId,
  edge,
  index,
  issues,
  readOnly,
  onChange,
  onRemove,
}: {
  agentId: string;
  edge: DagEdgeDoc;
  /** The edge's index in `edges`, which issue paths use. */
  index: number;
  issues: readonly DagIssue[];
  readOnly: boolean;
  onChange: (change: (edge: DagEdgeDoc) => DagEdgeDoc) => void;
  onRemove: () => void;
}) {
  const own = issuesUnder(issues, `edges[${index}]`);
  return (
    <aside aria-label={`Edge ${edge.from} to ${edge.to}`} className="inspector">
      <header className="section-header">
        <h2>
          {edge.from} → {edge.to}
        </h2>
        {!readOnly && (
          <button type="button" className="danger" onClick={onRemove}>
            Remove edge
          </button>
        )}
      </header>
      <label>
        Taken when {edge.from}
        <select
          value={edge.on ?? 'success'}
          disabled={readOnly}
          onChange={(event) => onChange((current) => ({ ...current, on: event.target.value === 'error' ? 'error' : undefined }))}
        >
          <option value="success">succeeds</option>
          <option value="error">fails (needs onError "route")</option>
        </select>
      </label>
      <label>
        Condition (JSONata, optional)
        <input
          value={edge.condition ?? ''}
          placeholder="nodes.check.output.ok = true"
          spellCheck={false}
          disabled={readOnly}
          onChange={(event) => onChange((current) => ({ ...current, condition: event.target.value || undefined }))}
        />
      </label>
      <IssueList label="Edge issues" issues={own} />
      <ExpressionTester key={index} agentId={agentId} initial={edge.condition ?? ''} mode="condition" />
    </aside>
  );
}
