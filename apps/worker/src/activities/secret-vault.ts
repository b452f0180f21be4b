/** The worker's side of the vault: a node's secrets decrypted at the moment of use, and the use recorded. */
import { ConnectorError, ConnectorErrorType, configError, type SecretSource } from '@trellis/connectors';
import { openSecret, unwrapDataKey, type PrismaClient, type VaultMasterKeys } from '@trellis/db';

/**
 * A {@link SecretSource} over the `secrets` and `workspace_vault_keys` tables. Each resolution sets the
 * secrets' `lastUsedAt` and adds one `secret.use` audit event per secret (actor `SYSTEM`, with the run and
 * node, never the value).
 *
 * @param masterKeys - from `TRELLIS_SECRET_KEY` (and `TRELLIS_PREVIOUS_SECRET_KEYS`); null when unset, which
 *   fails every node that references a secret with `ConfigError`
 */
export function createSecretVault(prisma: PrismaClient, masterKeys: VaultMasterKeys | null): SecretSource {
  return {
    async resolve({ workspaceId, runId, nodeId, names }) {
      if (masterKeys === null) throw configError(`node ${nodeId} references secrets, but the worker has no TRELLIS_SECRET_KEY to decrypt them`);
      const [rows, vaultKey] = await Promise.all([
        prisma.secret.findMany({ where: { workspaceId, name: { in: [...names] } } }),
        prisma.workspaceVaultKey.findUnique({ where: { workspaceId } }),
      ]);
      const missing = names.filter((name) => !rows.some((row) => row.name === name));
      if (missing.length > 0 || vaultKey === null) {
        throw new ConnectorError({
          type: ConnectorErrorType.SecretNotFound,
          message: `The workspace has no secret ${missing.join(', ')} (referenced by node ${nodeId})`,
          retryable: false,
          data: { names: missing },
        });
      }
      const dataKey = unwrapDataKey(masterKeys, workspaceId, vaultKey.wrappedKey);
      const resolved = names.map((name) => {
        const row = rows.find((candidate) => candidate.name === name)!;
        return { name, value: openSecret(dataKey, workspaceId, name, row.sealedValue), allowedHosts: row.allowedHosts };
      });
      await prisma.$transaction([
        prisma.secret.updateMany({ where: { workspaceId, name: { in: [...names] } }, data: { lastUsedAt: new Date() } }),
        prisma.auditEvent.createMany({
          data: names.map((name) => ({
            workspaceId,
            actorType: 'SYSTEM' as const,
            action: 'secret.use',
            targetType: 'secret',
            targetId: name,
            outcome: 'SUCCESS' as const,
            metadata: { runId, nodeId },
          })),
        }),
      ]);
      return resolved;
    },
  };
}
