/**
 * Key rotation's second half: after `TRELLIS_SECRET_KEY` changed (the old value moved to
 * `TRELLIS_PREVIOUS_SECRET_KEYS`), re-seal what the old key protects under the new one, so the old key can be
 * dropped: the vault's wrapped data keys (the secrets they seal stay as they are) and the agents' webhook
 * secrets. Temporal payloads are not rewritten (histories are immutable); keep the old key listed until the
 * runs that used it are past their retention.
 */
import type { PrismaClient } from '../generated/prisma/client.js';
import { open, seal, sealedKeyId } from './sealed-box.js';
import { needsRewrap, readVaultMasterKeys, rewrapDataKey } from './vault-keys.js';
import { webhookSecretContext, webhookSecretKeys } from './webhook-secret-keys.js';

/** What {@link rewrapSecrets} changed. */
export interface RewrapReport {
  /** Workspace data keys re-wrapped under the current master key. */
  dataKeys: number;
  /** Webhook secrets re-sealed under the current key. */
  webhookSecrets: number;
}

/**
 * Re-seals every data key and webhook secret that is not under the current key. Each row is updated only if
 * it still holds what was read (a concurrent rotation or secret change wins), so running it twice, or on
 * several machines at once, is safe.
 *
 * @param env `TRELLIS_SECRET_KEY` (the new key) and `TRELLIS_PREVIOUS_SECRET_KEYS` (the keys rows may be under)
 * @throws VaultConfigError without `TRELLIS_SECRET_KEY`; SealedBoxError naming nothing secret when a row is
 *   under a key that is not listed (nothing after that row is changed)
 */
export async function rewrapSecrets(prisma: PrismaClient, env: Record<string, string | undefined>): Promise<RewrapReport> {
  const masterKeys = readVaultMasterKeys(env);
  const report: RewrapReport = { dataKeys: 0, webhookSecrets: 0 };
  for (const row of await prisma.workspaceVaultKey.findMany()) {
    if (!needsRewrap(masterKeys, row.wrappedKey)) continue;
    const wrappedKey = rewrapDataKey(masterKeys, row.workspaceId, row.wrappedKey);
    const { count } = await prisma.workspaceVaultKey.updateMany({ where: { workspaceId: row.workspaceId, wrappedKey: row.wrappedKey }, data: { wrappedKey } });
    report.dataKeys += count;
  }
  const previous = (env.TRELLIS_PREVIOUS_SECRET_KEYS ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  const webhookKeys = webhookSecretKeys(env.TRELLIS_SECRET_KEY!.trim(), previous);
  for (const agent of await prisma.agent.findMany({ where: { webhookSecret: { not: null } }, select: { id: true, webhookSecret: true } })) {
    const stored = agent.webhookSecret!;
    if (sealedKeyId(stored) === webhookKeys[0].id) continue;
    const context = webhookSecretContext(agent.id);
    const resealed = seal(webhookKeys[0], open(webhookKeys, stored, context), context);
    const { count } = await prisma.agent.updateMany({ where: { id: agent.id, webhookSecret: stored }, data: { webhookSecret: resealed } });
    report.webhookSecrets += count;
  }
  return report;
}
