import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import type { TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';

/** A transaction client, with the row locks it takes held until commit. */
type Transaction = Parameters<Parameters<TrellisPrismaClient['$transaction']>[0]>[0];

/**
 * Locks the workspace's row (`FOR UPDATE`), so concurrent role changes and removals of one workspace run one
 * after another and cannot together leave it without an OWNER.
 *
 * @throws TrellisException `NOT_FOUND` when the workspace no longer exists
 */
export async function lockWorkspace(tx: Transaction, workspaceId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM workspaces WHERE id = ${workspaceId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw TrellisException.notFound('Workspace', workspaceId);
}

/**
 * Refuses a change that would leave the workspace without an OWNER: call it inside the transaction, after
 * {@link lockWorkspace} and the change.
 *
 * @throws TrellisException `CONFLICT`
 */
export async function assertKeepsAnOwner(tx: Transaction, workspaceId: string): Promise<void> {
  const owners = await tx.membership.count({ where: { workspaceId, role: 'OWNER' } });
  if (owners === 0) throw TrellisException.conflict('A workspace keeps at least one OWNER: make another member OWNER first');
}

export type { Transaction };
