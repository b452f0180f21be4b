import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { gql, useClient, useMutation, useQuery } from 'urql';
import { atLeast } from '../api/roles';
import { DagCanvas, type DagShape } from '../canvas/dag-canvas';
import { nodeOfIssue } from '../canvas/issue-paths';
import { useRole } from '../layout/session-context';

const AGENT = gql`
  query EditedAgent($id: ID!) {
    agent(id: $id) { id name liveVersion { version dag } }
  }
`;

const VALIDATE = gql`
  query ValidateDag($dag: JSON!) {
    validateDag(dag: $dag) { valid issues { path message } }
  }
`;

const PUBLISH = gql`
  mutation Publish($agentId: ID!, $dag: JSON!) {
    publishAgentVersion(agentId: $agentId, dag: $dag) { id liveVersion { version } }
  }
`;

interface Issue {
  path: string;
  message: string;
}

/** Parses the editor's text; the error message when it is not JSON. */
function parse(text: string): { dag: DagShape | null; error: string | null } {
  try {
    const value = JSON.parse(text) as DagShape;
    return Array.isArray(value?.nodes) ? { dag: value, error: null } : { dag: null, error: 'The DAG needs a "nodes" array' };
  } catch (error) {
    return { dag: null, error: (error as Error).message };
  }
}

/**
 * The agent editor: the DAG as JSON next to its canvas. Validate asks the server and pins each issue to the
 * node its path names; Publish (editors and above) stores the next version once the text validated.
 */
export function AgentEditor({ agentId }: { agentId: string }) {
  const [{ data, error }] = useQuery<{ agent: { id: string; name: string; liveVersion: { version: number; dag: DagShape } | null } }>({
    query: AGENT,
    variables: { id: agentId },
  });
  const client = useClient();
  const navigate = useNavigate();
  const role = useRole();
  const [text, setText] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issue[] | null>(null);
  const [validatedText, setValidatedText] = useState<string | null>(null);
  const [publish, runPublish] = useMutation(PUBLISH);

  useEffect(() => {
    if (text === null && data?.agent.liveVersion) setText(JSON.stringify(data.agent.liveVersion.dag, null, 2));
  }, [data, text]);
  const parsed = useMemo(() => parse(text ?? '{}'), [text]);
  const pinned = useMemo(() => {
    const byNode = new Map<string, { issues: string[] }>();
    if (!parsed.dag || !issues || validatedText !== text) return byNode;
    for (const issue of issues) {
      const nodeId = nodeOfIssue(parsed.dag, issue.path);
      if (nodeId) byNode.set(nodeId, { issues: [...(byNode.get(nodeId)?.issues ?? []), `${issue.path}: ${issue.message}`] });
    }
    return byNode;
  }, [parsed, issues, validatedText, text]);

  if (error) return <p role="alert" className="error">{error.graphQLErrors[0]?.message ?? error.message}</p>;
  if (!data || text === null) return <p>Loading…</p>;

  const validate = async () => {
    if (!parsed.dag) return;
    const result = await client.query<{ validateDag: { valid: boolean; issues: Issue[] } }>(VALIDATE, { dag: parsed.dag }, { requestPolicy: 'network-only' }).toPromise();
    setIssues(result.data?.validateDag.issues ?? [{ path: '', message: result.error?.message ?? 'Validation failed' }]);
    setValidatedText(text);
  };
  const valid = issues !== null && issues.length === 0 && validatedText === text;

  return (
    <section aria-labelledby="editor-heading">
      <header className="section-header">
        <div>
          <Link to="/agents/$agentId" params={{ agentId }}>
            {data.agent.name}
          </Link>
          <h1 id="editor-heading">Edit {data.agent.name}</h1>
          <p>Editing from version {data.agent.liveVersion?.version ?? '—'}</p>
        </div>
        <div className="actions">
          <button type="button" onClick={() => void validate()} disabled={!parsed.dag}>
            Validate
          </button>
          {atLeast(role, 'EDITOR') && (
            <button
              type="submit"
              disabled={!valid || publish.fetching}
              title={valid ? undefined : 'Validate the DAG first'}
              onClick={async () => {
                const result = await runPublish({ agentId, dag: parsed.dag });
                if (!result.error) await navigate({ to: '/agents/$agentId', params: { agentId } });
              }}
            >
              Publish
            </button>
          )}
        </div>
      </header>
      {publish.error && <p role="alert" className="error">{publish.error.graphQLErrors[0]?.message ?? publish.error.message}</p>}
      <div className="editor">
        <label className="json-editor">
          DAG JSON
          <textarea aria-label="DAG JSON" spellCheck={false} value={text} onChange={(event) => setText(event.target.value)} rows={24} />
          {parsed.error && <span role="alert" className="error">{parsed.error}</span>}
        </label>
        <div>{parsed.dag && <DagCanvas dag={parsed.dag} states={pinned} />}</div>
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
