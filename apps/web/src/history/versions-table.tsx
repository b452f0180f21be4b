import { useMutation } from 'urql';
import { graphql } from '../api/graphql';
import { atLeast } from '../api/roles';
import { useRole } from '../layout/session-context';
import { messageOf } from '../api/error-message';

const SET_LIVE = graphql(`
  mutation SetLiveVersion($agentId: ID!, $version: Int!) {
    setLiveVersion(agentId: $agentId, version: $version) { id liveVersion { version } }
  }
`);

/** A version row: its number, when and by whom it was published. */
export interface VersionRow {
  version: number;
  createdAt: string;
  publishedBy: string | null;
}

/** Which versions a diff compares, and how to change them. */
export interface VersionComparison {
  from?: number;
  to?: number;
  onPick: (side: 'from' | 'to', version: number) => void;
}

/**
 * An agent's versions, newest first, with who published them; the live one marked and the others made live
 * by editors (a rollback); with `comparison`, radio buttons choosing the two versions a diff compares.
 */
export function VersionsTable({ agentId, versions, liveVersion, comparison }: { agentId: string; versions: VersionRow[]; liveVersion: number | null; comparison?: VersionComparison }) {
  const role = useRole();
  const [setLive, runSetLive] = useMutation(SET_LIVE);
  return (
    <>
      {setLive.error && <p role="alert" className="error">{messageOf(setLive.error)}</p>}
      <table className="agents" aria-label="Versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Published</th>
            <th scope="col">By</th>
            {comparison && <th scope="col">Compare</th>}
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {[...versions]
            .sort((a, b) => b.version - a.version)
            .map((version) => (
              <tr key={version.version} data-version={version.version}>
                <td>v{version.version}</td>
                <td>{new Date(version.createdAt).toLocaleString()}</td>
                <td>{version.publishedBy ?? '—'}</td>
                {comparison && (
                  <td>
                    {(['from', 'to'] as const).map((side) => (
                      <label key={side}>
                        <input type="radio" name={side} checked={comparison[side] === version.version} onChange={() => comparison.onPick(side, version.version)} /> {side}{' '}
                      </label>
                    ))}
                  </td>
                )}
                <td>
                  {liveVersion === version.version ? (
                    <strong>Live</strong>
                  ) : (
                    atLeast(role, 'EDITOR') && (
                      <button type="button" disabled={setLive.fetching} onClick={() => void runSetLive({ agentId, version: version.version })}>
                        Make live
                      </button>
                    )
                  )}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </>
  );
}
