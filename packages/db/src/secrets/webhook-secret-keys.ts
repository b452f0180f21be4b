/**
 * The keys of webhook secrets at rest: derived from `TRELLIS_SECRET_KEY` (seals) and each of
 * `TRELLIS_PREVIOUS_SECRET_KEYS` (still open what was sealed before a rotation, until `secrets:rewrap`).
 */
import { derivedSealingKey, type SealingKey } from './sealed-box.js';

/** HKDF `info` that separates this key from other uses of `TRELLIS_SECRET_KEY` (link signatures, the vault, payloads). */
const WEBHOOK_KEY_INFO = 'trellis/secrets-at-rest/aes-256-gcm/v1';

/** Sealing context of an agent's webhook secret: a value copied to another agent does not open. */
export function webhookSecretContext(agentId: string): string {
  return `agent:${agentId}:webhook-secret`;
}

/** The webhook keys of `current` and `previous` secret keys, current first. */
export function webhookSecretKeys(current: string, previous: readonly string[] = []): SealingKey[] {
  return [current, ...previous].map((secret) => derivedSealingKey(secret, WEBHOOK_KEY_INFO));
}
