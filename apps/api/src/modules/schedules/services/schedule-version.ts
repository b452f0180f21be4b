import type { AgentVersion } from '../../../infrastructure/prisma/prisma-client.js';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import type { PrismaTransaction } from './schedule-lock.js';

/**
 * The version a schedule runs: its pinned `version`, else the agent's live version now.
 *
 * @throws TrellisException `NOT_FOUND` when the pinned version, the agent or its live version does not exist
 */
export async function resolveScheduleVersion(
  tx: PrismaTransaction,
  schedule: { agentId: string; version: number | null },
): Promise<AgentVersion> {
  if (schedule.version !== null) {
    const pinned = await tx.agentVersion.findUnique({
      where: { agentId_version: { agentId: schedule.agentId, version: schedule.version } },
    });
    if (!pinned) throw TrellisException.notFound(`Version ${schedule.version} of agent`, schedule.agentId);
    return pinned;
  }
  const agent = await tx.agent.findUnique({ where: { id: schedule.agentId }, select: { liveVersionId: true } });
  const live = agent?.liveVersionId
    ? await tx.agentVersion.findUnique({ where: { id: agent.liveVersionId } })
    : null;
  if (!live) throw TrellisException.notFound('Live version of agent', schedule.agentId);
  return live;
}
