import { Link, useNavigate } from '@tanstack/react-router';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { atLeast } from '../api/roles';
import { type CanvasEditing, type CanvasSelection, DagCanvas, type NodeLook } from '../canvas/dag-canvas';
import { nodeOfIssue } from '../canvas/issue-paths';
import { addNode, connect, type DagDoc, removeEdge, removeNode, updateEdge, updateNode } from '../editor/dag-edits';
import { DagJsonEditor } from '../editor/dag-json-editor';
import { EdgeInspector } from '../editor/edge-inspector';
import { ExpressionTester } from '../editor/expression-tester';
import type { DagIssue } from '../editor/issue-errors';
import { NodeInspector } from '../editor/node-inspector';
import { NodePalette } from '../editor/node-palette';
import { useNodeCatalogue } from '../editor/node-types';
import { useRole } from '../layout/session-context';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const AGENT = graphql(`
  query EditedAgent($id: ID!) {
    agent(id: $id) { id name liveVersion { version dag } }
  }
`);

const VALIDATE = graphql(`
  query ValidateDag($dag: JSON!) {
    validateDag(dag: $dag) { valid issues { path message } }
  }
`);

const PUBLISH = graphql(`
  mutation Publish($agentId: ID!, $dag: JSON!) {
    publishAgentVersion(agentId: $agentId, dag: $dag) { id liveVersion { version } }
  }
`);

/** Parses the editor's text; the error message when it is not a DAG-shaped JSON object. */
function parse(text: string): { dag: DagDoc | null; error: string | null } {
  try {
    const value = JSON.parse(text) as DagDoc;
    return Array.isArray(value?.nodes) ? { dag: value, error: null } : { dag: null, error: 'The DAG needs a "nodes" array' };
  } catch (error) {
    return { dag: null, error: (error as Error).message };
  }
}

/**
 * The agent editor: the DAG on a canvas (nodes added from the palette, connected by dragging from one
 * node's handle to another's, configured in the panel of the picked node or edge) and the same DAG as JSON;
 * either view edits the one text both show. Validate asks the server and pins each issue to the node, edge
 * or field its path names; Publish (editors and above) stores the next version once that text validated.
 */
export function AgentEditor({ agentId }: { agentId: string }) {
  const [{ data, error }] = useQuery({
    query: AGENT,
    variables: { id: agentId },
  });
  const catalogue = useNodeCatalogue();
  const client = useClient();
  const navigate = useNavigate();
  const role = useRole();
  const readOnly = !atLeast(role, 'EDITOR');
  const [text, setText] = useState<string | null>(null);
  const [issues, setIssues] = useState<DagIssue[] | null>(null);
  const [validatedText, setValidatedText] = useState<string | null>(null);
  const [selection, setSelection] = useState<CanvasSelection | null>(null);
  const [publish, runPublish] = useMutation(PUBLISH);

  useEffect(() => {
    if (text === null && data?.agent.liveVersion) setText(JSON.stringify(data.agent.liveVersion.dag, null, 2));
  }, [data, text]);
  const parsed = useMemo(() => parse(text ?? '{}'), [text]);
  const currentIssues = useMemo(() => (issues && validatedText === text ? issues : []), [issues, validatedText, text]);
  const pinned = useMemo(() => {
    const byNode = new Map<string, NodeLook>();
    if (!parsed.dag) return byNode;
    for (const issue of currentIssues) {
      const nodeId = nodeOfIssue(parsed.dag, issue.path);
      if (nodeId) byNode.set(nodeId, { issues: [...(byNode.get(nodeId)?.issues ?? []), `${issue.path}: ${issue.message}`] });
    }
    return byNode;
  }, [parsed, currentIssues]);

  // Every canvas edit rewrites the text from the edited DAG, so the JSON view follows the canvas.
  const edit = useCallback((change: (dag: DagDoc) => DagDoc) => {
    setText((current) => {
      const { dag } = parse(current ?? '{}');
      return dag ? JSON.stringify(change(dag), null, 2) : current;
    });
  }, []);
  const editing = useMemo<CanvasEditing | undefined>(
    () =>
      readOnly || !parsed.dag
        ? undefined
        : { selection, onSelect: setSelection, onConnect: (from, to) => edit((dag) => connect(dag, from, to)) },
    [readOnly, parsed.dag, selection, edit],
  );
  const onAdd = (type: string) => {
    if (!parsed.dag) return;
    const added = addNode(parsed.dag, type);
    setText(JSON.stringify(added.dag, null, 2));
    setSelection({ kind: 'node', id: added.id });
  };

  if (error) return <p role="alert" className="error">{messageOf(error)}</p>;
  if (!data || text === null) return <p>Loading…</p>;

  const validate = async () => {
    if (!parsed.dag) return;
    const result = await client.query(VALIDATE, { dag: parsed.dag }, { requestPolicy: 'network-only' }).toPromise();
    setIssues(result.data?.validateDag.issues ?? [{ path: '', message: result.error?.message ?? 'Validation failed' }]);
    setValidatedText(text);
  };
  const valid = issues !== null && issues.length === 0 && validatedText === text;
  const dag = parsed.dag;
  const pickedNodeIndex = dag && selection?.kind === 'node' ? dag.nodes.findIndex((node) => node.id === selection.id) : -1;
  const pickedEdge = dag && selection?.kind === 'edge' ? dag.edges?.[selection.index] : undefined;

  return (
    <section aria-labelledby="editor-heading">
      <header className="section-header">
        <div>
          <Link to="/agents/$agentId" params={{ agentId }}>
            {data.agent.name}
          </Link>
          <h1 id="editor-heading">Edit {data.agent.name}</h1>
          <p>
            Editing from version {data.agent.liveVersion?.version ?? '—'} ·{' '}
            <Link to="/agents/$agentId/history" params={{ agentId }}>
              History
            </Link>
          </p>
        </div>
        <div className="actions">
          <button type="button" onClick={() => void validate()} disabled={!dag}>
            Validate
          </button>
          {!readOnly && (
            <button
              type="submit"
              disabled={!valid || publish.fetching}
              title={valid ? undefined : 'Validate the DAG first'}
              onClick={async () => {
                const result = await runPublish({ agentId, dag });
                if (!result.error) await navigate({ to: '/agents/$agentId', params: { agentId } });
              }}
            >
              Publish
            </button>
          )}
        </div>
      </header>
      {publish.error && <p role="alert" className="error">{messageOf(publish.error)}</p>}
      {catalogue.error && <p role="alert" className="error">{catalogue.error}</p>}
      <div className={readOnly ? 'editor editor-read-only' : 'editor'}>
        {!readOnly && <NodePalette nodeTypes={catalogue.nodeTypes} onAdd={onAdd} />}
        <div>{dag ? <DagCanvas dag={dag} states={pinned} editing={editing} /> : <p className="hint">Fix the JSON to see the canvas.</p>}</div>
        {dag && pickedNodeIndex >= 0 && (
          <div>
            <NodeInspector
              key={dag.nodes[pickedNodeIndex].id}
              node={dag.nodes[pickedNodeIndex]}
              index={pickedNodeIndex}
              entry={catalogue.nodeTypes.find((entry) => entry.type === dag.nodes[pickedNodeIndex].type)}
              issues={currentIssues}
              readOnly={readOnly}
              onChange={(change) => edit((current) => updateNode(current, dag.nodes[pickedNodeIndex].id, change))}
              onRemove={() => {
                edit((current) => removeNode(current, dag.nodes[pickedNodeIndex].id));
                setSelection(null);
              }}
            />
            <ExpressionTester agentId={agentId} initial="" mode="template" />
          </div>
        )}
        {pickedEdge && selection?.kind === 'edge' && (
          <EdgeInspector
            agentId={agentId}
            edge={pickedEdge}
            index={selection.index}
            issues={currentIssues}
            readOnly={readOnly}
            onChange={(change) => edit((current) => updateEdge(current, selection.index, change))}
            onRemove={() => {
              edit((current) => removeEdge(current, selection.index));
              setSelection(null);
            }}
          />
        )}
      </div>
      <div className="json-editor">
        <h2>DAG JSON</h2>
        <DagJsonEditor value={text} schema={catalogue.dagJsonSchema} readOnly={readOnly} onChange={setText} />
        {parsed.error && <span role="alert" className="error">{parsed.error}</span>}
      </div>
      {issues && validatedText === text && (
        <div aria-label="Validation" className="validation">
          {issues.length === 0 ? (
            <p className="ok">✓ The DAG is valid.</p>
          ) : (
            <ul>
              {issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  <code>{issue.path || '(DAG)'}</code> {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
