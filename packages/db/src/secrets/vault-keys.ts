/**
 * Envelope encryption of the secrets vault: each workspace has a random 256-bit data key, stored wrapped
 * (sealed) by the master key; each secret value is sealed by its workspace's data key, bound to the
 * workspace and the secret's name, so ciphertext cannot be moved between workspaces or names. The master
 * key comes from `TRELLIS_SECRET_KEY`; `TRELLIS_PREVIOUS_SECRET_KEYS` (comma-separated) lists retired
 * ones that still open data keys wrapped before a rotation, until they are re-wrapped.
 */
import { randomBytes } from 'node:crypto';
import { derivedSealingKey, open, seal, sealedKeyId, type SealingKey, sealingKeyOf } from './sealed-box.js';

/** HKDF `info` of the vault's master key, apart from every other use of `TRELLIS_SECRET_KEY`. */
const MASTER_KEY_INFO = 'trellis/vault/master-key/v1';

/** The master keys: the current one (wraps new data keys) and the retired ones (open old wrappings). */
export interface VaultMasterKeys {
  current: SealingKey;
  all: SealingKey[];
}

/** Thrown when the environment holds no usable master key. */
export class VaultConfigError extends Error {
  override readonly name = 'VaultConfigError';
}

/**
 * The master keys from `TRELLIS_SECRET_KEY` and `TRELLIS_PREVIOUS_SECRET_KEYS`.
 *
 * @throws VaultConfigError when `TRELLIS_SECRET_KEY` is unset or shorter than 32 characters
 */
export function readVaultMasterKeys(env: Record<string, string | undefined>): VaultMasterKeys {
  const current = env.TRELLIS_SECRET_KEY?.trim();
  if (!current || current.length < 32) throw new VaultConfigError('The secrets vault needs TRELLIS_SECRET_KEY (at least 32 characters; try: openssl rand -hex 32)');
  const previous = (env.TRELLIS_PREVIOUS_SECRET_KEYS ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  const keys = [current, ...previous].map((secret) => derivedSealingKey(secret, MASTER_KEY_INFO));
  return { current: keys[0], all: keys };
}

function dataKeyContext(workspaceId: string): string {
  return `workspace:${workspaceId}:vault-data-key`;
}

function secretContext(workspaceId: string, name: string): string {
  return `workspace:${workspaceId}:secret:${name}`;
}

/** A new random data key for `workspaceId`, and its wrapped (stored) form under the current master key. */
export function newDataKey(masterKeys: VaultMasterKeys, workspaceId: string): { dataKey: SealingKey; wrapped: string } {
  const dataKey = sealingKeyOf(randomBytes(32));
  return { dataKey, wrapped: seal(masterKeys.current, dataKey.key, dataKeyContext(workspaceId)) };
}

/**
 * The data key of `workspaceId` from its wrapped form, with any master key that has the wrapping's id.
 *
 * @throws SealedBoxError when no configured master key opens it, or it was wrapped for another workspace
 */
export function unwrapDataKey(masterKeys: VaultMasterKeys, workspaceId: string, wrapped: string): SealingKey {
  return sealingKeyOf(open(masterKeys.all, wrapped, dataKeyContext(workspaceId)));
}

/** True when a wrapped data key is not under the current master key (a rotation left it behind). */
export function needsRewrap(masterKeys: VaultMasterKeys, wrapped: string): boolean {
  return sealedKeyId(wrapped) !== masterKeys.current.id;
}

/**
 * The data key re-wrapped under the current master key (the value it protects stays as it is).
 *
 * @throws SealedBoxError as {@link unwrapDataKey}
 */
export function rewrapDataKey(masterKeys: VaultMasterKeys, workspaceId: string, wrapped: string): string {
  return seal(masterKeys.current, unwrapDataKey(masterKeys, workspaceId, wrapped).key, dataKeyContext(workspaceId));
}

/** Seals a secret's value under its workspace's data key, bound to the workspace and the name. */
export function sealSecret(dataKey: SealingKey, workspaceId: string, name: string, value: string): string {
  return seal(dataKey, value, secretContext(workspaceId, name));
}

/**
 * A secret's value.
 *
 * @throws SealedBoxError when the stored value belongs to another workspace or name, or was tampered with
 */
export function openSecret(dataKey: SealingKey, workspaceId: string, name: string, sealed: string): string {
  return open([dataKey], sealed, secretContext(workspaceId, name)).toString('utf8');
}
