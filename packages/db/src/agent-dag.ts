import type { Dag } from '@trellis/dag-interpreter';
import type { AgentVersion } from './generated/prisma/client.js';

/**
 * The DAG of a stored agent version. Versions are validated by `validateDag` before they are stored and
 * can never change afterwards (a trigger rejects updates), so the JSON column is read as a parsed `Dag`
 * (defaults applied) without parsing it again.
 */
export function readDag(version: Pick<AgentVersion, 'dag'>): Dag {
  return version.dag as unknown as Dag;
}
