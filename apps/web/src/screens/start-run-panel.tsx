import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { SchemaForm } from './schema-form';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const START_RUN = graphql(`
  mutation StartRun($agentId: ID!, $input: JSON, $version: Int, $idempotencyKey: String) {
    startRun(agentId: $agentId, input: $input, version: $version, idempotencyKey: $idempotencyKey) { id }
  }
`);

// Read when the panel opens, not with the agent page: a DAG per version is the heaviest part of an agent.
const STARTABLE_VERSIONS = graphql(`
  query StartableVersions($id: ID!) {
    agent(id: $id) { id versions { version dag } }
  }
`);

/**
 * Starts a run: a version picker (the live one by default), an optional idempotency key, and the input as a
 * form generated from the chosen version's `inputSchema` (checked in the browser first; the server checks
 * again). Opens the run once it started.
 */
export function StartRunPanel({ agentId, liveVersion, onClose }: { agentId: string; liveVersion: number | null; onClose: () => void }) {
  const [{ data }] = useQuery({ query: STARTABLE_VERSIONS, variables: { id: agentId } });
  const versions = data?.agent.versions ?? [];
  const [version, setVersion] = useState<number | null>(liveVersion);
  const [idempotencyKey, setIdempotencyKey] = useState('');
  const [start, runStart] = useMutation(START_RUN);
  const navigate = useNavigate();
  const chosen = versions.find((candidate) => candidate.version === version);
  const inputSchema = (chosen?.dag as { inputSchema?: Record<string, unknown> } | undefined)?.inputSchema;
  const startWith = async (input: unknown) => {
    const result = await runStart({ agentId, input, version: version === liveVersion ? null : version, idempotencyKey: idempotencyKey.trim() || null });
    if (result.data) await navigate({ to: '/runs/$runId', params: { runId: result.data.startRun.id } });
  };
  return (
    <section className="start-form" aria-label="Start a run">
      <header className="section-header">
        <h2>Start a run</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <div className="field-row">
        <label>
          Version
          <select value={version ?? ''} onChange={(event) => setVersion(Number(event.target.value))}>
            {[...versions]
              .sort((a, b) => b.version - a.version)
              .map((candidate) => (
                <option key={candidate.version} value={candidate.version}>
                  v{candidate.version}
                  {candidate.version === liveVersion ? ' (live)' : ''}
                </option>
              ))}
          </select>
        </label>
        <label>
          Idempotency key (optional)
          <input value={idempotencyKey} onChange={(event) => setIdempotencyKey(event.target.value)} placeholder="order-A-17" />
        </label>
      </div>
      {!data ? (
        <p>Loading…</p>
      ) : inputSchema ? (
        <SchemaForm key={version} schema={inputSchema} submitLabel="Start" disabled={start.fetching} onSubmit={(input) => void startWith(input)} />
      ) : (
        <button type="submit" disabled={start.fetching} onClick={() => void startWith({})}>
          Start
        </button>
      )}
      {start.error && <p role="alert" className="error">{messageOf(start.error)}</p>}
    </section>
  );
}
