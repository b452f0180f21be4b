/** A node's secret references: found and substituted only in the fields that admit them (`SECRET_FIELDS`). */
import { admitsSecret, findSecretReferences, substituteSecrets } from '@trellis/dag-interpreter';
import type { SecretUse } from '../egress/outbound.js';
import { configError } from '../errors.js';
import type { SecretSource } from './secret-source.js';

/** The part of an activity request that may hold references: a node type and its config (or the fields standing for it). */
export interface SecretBearing {
  type: string;
  value: unknown;
}

/** The distinct secret names referenced where `bearing.type` admits them, in document order. */
export function referencedSecretNames(bearing: SecretBearing): string[] {
  const names = findSecretReferences(bearing.value)
    .filter((reference) => admitsSecret(bearing.type, reference.path))
    .map((reference) => reference.name);
  return [...new Set(names)];
}

/**
 * Resolves the references of `bearing` and returns its value with them substituted (only where admitted),
 * with the secrets used; `{ value, secrets: [] }` unchanged when it references none.
 *
 * @throws ConnectorError `ConfigError` when it references secrets but the run has no workspace or the worker no vault.
 * @throws what `SecretSource.resolve` throws (`SecretNotFound`).
 */
export async function resolveNodeSecrets(
  bearing: SecretBearing,
  ids: { runId: string; nodeId: string; workspaceId?: string },
  source: SecretSource | undefined,
): Promise<{ value: unknown; secrets: SecretUse[] }> {
  const names = referencedSecretNames(bearing);
  if (names.length === 0) return { value: bearing.value, secrets: [] };
  if (ids.workspaceId === undefined) throw configError(`node ${ids.nodeId} references secrets, but its run has no workspace to resolve them in`);
  if (source === undefined) throw configError(`node ${ids.nodeId} references secrets, but this worker has no secret vault configured`);
  const secrets = await source.resolve({ workspaceId: ids.workspaceId, runId: ids.runId, nodeId: ids.nodeId, names });
  const byName = new Map(secrets.map((secret) => [secret.name, secret.value]));
  return { value: substituteAdmitted(bearing.type, bearing.value, [], (name) => byName.get(name) ?? ''), secrets };
}

function substituteAdmitted(type: string, value: unknown, path: (string | number)[], valueOf: (name: string) => string): unknown {
  if (typeof value === 'string') return admitsSecret(type, path) ? substituteSecrets(value, valueOf) : value;
  if (Array.isArray(value)) return value.map((item, index) => substituteAdmitted(type, item, [...path, index], valueOf));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteAdmitted(type, item, [...path, key], valueOf)]));
  }
  return value;
}
