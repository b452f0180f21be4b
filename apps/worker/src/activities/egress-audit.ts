/** Refused egress is a security event: each one lands in the workspace's audit log, not only in the run. */
import { ApplicationFailure } from '@temporalio/common';
import { ConnectorErrorType } from '@trellis/connectors';
import type { PrismaClient } from '@trellis/db';

/**
 * Wraps an activity so that a failure of type `EgressBlocked` or `SecretHostNotAllowed` adds an
 * `egress.blocked` audit event (actor `SYSTEM`, outcome `DENIED`, target the run, metadata `{ nodeId, errorType,
 * message, rule? }`) before the failure goes back to Temporal. Best effort: a failure to record is ignored.
 */
export function withEgressAudit<Request extends { runId: string; nodeId: string; workspaceId?: string }, Result>(
  prisma: PrismaClient,
  activity: (request: Request) => Promise<Result>,
): (request: Request) => Promise<Result> {
  return async (request) => {
    try {
      return await activity(request);
    } catch (error) {
      if (error instanceof ApplicationFailure && (error.type === ConnectorErrorType.EgressBlocked || error.type === ConnectorErrorType.SecretHostNotAllowed)) {
        const data = (error.details?.[0] as { data?: { rule?: unknown } } | undefined)?.data;
        await prisma.auditEvent
          .create({
            data: {
              workspaceId: request.workspaceId ?? null,
              actorType: 'SYSTEM',
              action: 'egress.blocked',
              targetType: 'run',
              targetId: request.runId,
              outcome: 'DENIED',
              metadata: { nodeId: request.nodeId, errorType: error.type, message: error.message, ...(typeof data?.rule === 'string' ? { rule: data.rule } : {}) },
            },
          })
          .catch(() => undefined);
      }
      throw error;
    }
  };
}
