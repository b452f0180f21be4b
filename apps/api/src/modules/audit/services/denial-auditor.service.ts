import { Inject, Injectable } from '@nestjs/common';
import { TrellisException, TrellisExceptionCode } from '../../../common/exceptions/trellis-exception.js';
import { PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { withSystemScope } from '../../../infrastructure/prisma/workspace-scope.js';
import type { Principal } from '../../identity/access/principal.js';
import { AuditLog } from './audit-log.service.js';

/** Where a caller was refused: the GraphQL field (`Mutation.startRun`) or route, and its arguments. */
export interface RefusedCall {
  operation: string;
  principal: Principal | undefined;
  /** The handler's arguments; an `id`, `agentId`, `runId`… among them names the target. */
  args: Record<string, unknown>;
}

/** Models a `NOT_FOUND` may be about, by the `what` of `TrellisException.notFound`, with their audit target type. */
const LOOKUPS: Record<string, { targetType: string; workspaceOf: (prisma: TrellisPrismaClient, id: string) => Promise<string | undefined> }> = {
  Agent: { targetType: 'agent', workspaceOf: async (prisma, id) => (await prisma.agent.findUnique({ where: { id }, select: { workspaceId: true } }))?.workspaceId },
  Run: { targetType: 'run', workspaceOf: async (prisma, id) => (await prisma.run.findUnique({ where: { id }, select: { workspaceId: true } }))?.workspaceId },
  Approval: { targetType: 'approval', workspaceOf: async (prisma, id) => (await prisma.approval.findUnique({ where: { id }, select: { workspaceId: true } }))?.workspaceId },
  Schedule: { targetType: 'schedule', workspaceOf: async (prisma, id) => (await prisma.schedule.findUnique({ where: { id }, select: { workspaceId: true } }))?.workspaceId },
  'API key': { targetType: 'api_key', workspaceOf: async (prisma, id) => (await prisma.apiKey.findUnique({ where: { id }, select: { workspaceId: true } }))?.workspaceId },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Records refusals as `DENIED` audit events: every `FORBIDDEN`, and every `NOT_FOUND` about a record that
 * exists in another workspace than the caller's (the caller got the same answer as for no record at all).
 * The event goes to the caller's workspace and never names the other one.
 */
@Injectable()
export class DenialAuditor {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    private readonly audit: AuditLog,
  ) {}

  /** Records `exception` if it is a refusal; never throws (failures are logged by {@link AuditLog.recordQuietly}). */
  async consider(exception: unknown, call: RefusedCall): Promise<void> {
    if (!(exception instanceof TrellisException) || call.principal === undefined) return;
    const actor =
      call.principal.kind === 'USER'
        ? { type: 'USER' as const, id: call.principal.userId }
        : { type: 'API_KEY' as const, id: call.principal.apiKeyId };
    const workspaceId = call.principal.workspaceId;
    if (exception.code === TrellisExceptionCode.FORBIDDEN) {
      await this.audit.recordQuietly({
        action: 'access.denied',
        outcome: 'DENIED',
        actor,
        workspaceId,
        targetType: 'operation',
        targetId: call.operation,
        metadata: { operation: call.operation, reason: exception.message },
      });
      return;
    }
    const missing = exception.missing;
    const lookup = missing && LOOKUPS[missing.what];
    if (exception.code !== TrellisExceptionCode.NOT_FOUND || !missing || !lookup || !UUID.test(missing.id) || workspaceId === null) return;
    try {
      const owner = await withSystemScope('is a record missing, or in another workspace?', () => lookup.workspaceOf(this.prisma, missing.id));
      if (owner === undefined || owner === workspaceId) return;
    } catch {
      return;
    }
    await this.audit.recordQuietly({
      action: 'access.cross_workspace',
      outcome: 'DENIED',
      actor,
      workspaceId,
      targetType: lookup.targetType,
      targetId: missing.id,
      metadata: { operation: call.operation },
    });
  }
}
