import { Link, useNavigate } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { CHANGE_LOOK, type Change } from '../canvas/change';
import { DagCanvas, type NodeLook } from '../canvas/dag-canvas';
import type { DagDoc } from '../editor/dag-edits';
import { type DiffEntry, diffVersions } from './version-diff';
import { VersionsTable } from './versions-table';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

const HISTORY = graphql(`
  query VersionHistory($id: ID!) {
    agent(id: $id) { id name liveVersion { version } versions { version createdAt publishedBy dag } }
  }
`);

/**
 * An agent's versions with who published them, and the difference between any two (`from` and `to` in the
 * URL): nodes and edges added, removed or changed, coloured on one canvas, with both sides' JSON next to
 * each other. Editors make any version live from here.
 */
export function VersionHistory({ agentId, from, to }: { agentId: string; from?: number; to?: number }) {
  const [{ data, error }] = useQuery({ query: HISTORY, variables: { id: agentId } });
  const navigate = useNavigate();
  const versions = useMemo(() => [...(data?.agent.versions ?? [])].sort((a, b) => b.version - a.version), [data]);
  const newest = versions[0]?.version;
  const toVersion = versions.find((version) => version.version === (to ?? newest));
  const fromVersion = versions.find((version) => version.version === (from ?? (toVersion ? toVersion.version - 1 : undefined)));
  const diff = useMemo(() => (fromVersion && toVersion ? diffVersions(fromVersion.dag as DagDoc, toVersion.dag as DagDoc) : null), [fromVersion, toVersion]);
  const looks = useMemo(() => new Map<string, NodeLook>(diff?.nodes.map((entry) => [entry.key, { change: entry.change }])), [diff]);
  const edgeChanges = useMemo(() => new Map<string, Change>(diff?.edges.map((entry) => [entry.key, entry.change])), [diff]);

  if (error) return <p role="alert" className="error">{messageOf(error)}</p>;
  if (!data) return <p>Loading…</p>;
  const pick = (side: 'from' | 'to', version: number) =>
    void navigate({ to: '/agents/$agentId/history', params: { agentId }, search: { from: side === 'from' ? version : fromVersion?.version, to: side === 'to' ? version : toVersion?.version } });

  return (
    <section aria-labelledby="history-heading">
      <Link to="/agents/$agentId" params={{ agentId }}>
        {data.agent.name}
      </Link>
      <h1 id="history-heading">History of {data.agent.name}</h1>
      <VersionsTable
        agentId={agentId}
        versions={versions}
        liveVersion={data.agent.liveVersion?.version ?? null}
        comparison={{ from: fromVersion?.version, to: toVersion?.version, onPick: pick }}
      />
      {diff && fromVersion && toVersion ? (
        <section aria-label="Diff">
          <h2>
            v{fromVersion.version} → v{toVersion.version}
          </h2>
          {diff.nodes.length + diff.edges.length + diff.other.length === 0 && <p>The two versions are the same.</p>}
          <DagCanvas dag={diff.union} states={looks} edgeChanges={edgeChanges} />
          <DiffEntries title="Nodes" kind="Node" entries={diff.nodes} />
          <DiffEntries title="Edges" kind="Edge" entries={diff.edges} />
          {diff.other.length > 0 && (
            <>
              <h3>Other fields</h3>
              <ul>
                {diff.other.map((field) => (
                  <li key={field.path}>
                    {field.op} <code>{field.path}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      ) : (
        <p>Choose two versions to compare.</p>
      )}
    </section>
  );
}

/** Each differing node or edge: how it changed, the changed fields, and its JSON on both sides. */
function DiffEntries<T>({ title, kind, entries }: { title: string; kind: string; entries: DiffEntry<T>[] }) {
  if (entries.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      {entries.map((entry) => (
        <article key={entry.key} className="diff-entry" data-change={entry.change} aria-label={`${kind} ${entry.key} ${entry.change}`}>
          <h4 style={{ color: CHANGE_LOOK[entry.change].colour }}>
            {CHANGE_LOOK[entry.change].label}: {entry.key}
          </h4>
          {entry.fields.length > 0 && (
            <p>
              {entry.fields.map((field) => (
                <code key={field.path}>
                  {field.op} {field.path}{' '}
                </code>
              ))}
            </p>
          )}
          <div className="side-by-side">
            <pre aria-label="Before">{entry.before === undefined ? '—' : JSON.stringify(entry.before, null, 2)}</pre>
            <pre aria-label="After">{entry.after === undefined ? '—' : JSON.stringify(entry.after, null, 2)}</pre>
          </div>
        </article>
      ))}
    </>
  );
}
