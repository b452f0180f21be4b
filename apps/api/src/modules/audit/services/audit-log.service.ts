import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../../infrastructure/logging/logger.js';
import { PRISMA, type PrismaJson, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { currentWorkspaceScope, withSystemScope } from '../../../infrastructure/prisma/workspace-scope.js';
import { currentRequestContext } from '../../identity/access/request-context.js';

/** Who performed an audited action (the database's `AuditActorType`). */
export type AuditActorType = 'USER' | 'API_KEY' | 'LINK' | 'WEBHOOK' | 'SCHEDULE' | 'SYSTEM';
/** How an audited action ended (the database's `AuditOutcome`). */
export type AuditOutcome = 'SUCCESS' | 'DENIED' | 'ERROR';

/** One audit event to record; what is left out comes from the current request (see {@link AuditLog.record}). */
export interface AuditEntry {
  /** `<target>.<verb>`, such as `agent.create`, `run.cancel`, `access.denied`. */
  action: string;
  targetType?: string;
  targetId?: string | null;
  /** Default `SUCCESS`. */
  outcome?: AuditOutcome;
  /** Default: the request's principal (`USER` or `API_KEY`), else `SYSTEM`. */
  actor?: { type: AuditActorType; id: string | null };
  /** Default: the workspace in scope; null for actions outside any workspace. */
  workspaceId?: string | null;
  /** Action-specific details. Never secret values, tokens or passwords. */
  metadata?: Record<string, unknown>;
}

/** A transaction client, to record an event atomically with the change it describes. */
type AuditWriter = Pick<TrellisPrismaClient, 'auditEvent'>;

/**
 * Appends events to the audit log (`audit_events`, which Postgres keeps append-only). The request supplies
 * the actor, workspace, client address, user agent and request id unless the entry names them.
 */
@Injectable()
export class AuditLog {
  constructor(
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Writes one event, in `writer`'s transaction when given (so it commits or rolls back with the change).
   *
   * @throws the database's error (the caller's change should then fail too)
   */
  async record(entry: AuditEntry, writer: AuditWriter = this.prisma): Promise<void> {
    const request = currentRequestContext();
    const principal = request?.principal;
    const actor =
      entry.actor ??
      (principal === undefined
        ? { type: 'SYSTEM' as const, id: null }
        : principal.kind === 'USER'
          ? { type: 'USER' as const, id: principal.userId }
          : { type: 'API_KEY' as const, id: principal.apiKeyId });
    const scope = currentWorkspaceScope();
    const workspaceId =
      entry.workspaceId !== undefined ? entry.workspaceId : scope && 'workspaceId' in scope ? scope.workspaceId : null;
    // Audit rows name their workspace explicitly, also for actions outside any (a failed login).
    await withSystemScope('audit events name their workspace themselves', () =>
      writer.auditEvent.create({
        data: {
          workspaceId,
          actorType: actor.type,
          actorId: actor.id,
          action: entry.action,
          targetType: entry.targetType ?? null,
          targetId: entry.targetId ?? null,
          outcome: entry.outcome ?? 'SUCCESS',
          ip: request?.ip ?? null,
          userAgent: request?.userAgent?.slice(0, 512) ?? null,
          requestId: request?.requestId ?? null,
          metadata: (entry.metadata ?? {}) as PrismaJson,
        },
      }),
    );
  }

  /**
   * Like {@link record}, for events that must not fail the request they describe (a denial being
   * answered): a write error is logged, never thrown.
   */
  async recordQuietly(entry: AuditEntry): Promise<void> {
    try {
      await this.record(entry);
    } catch (error) {
      this.logger.error({ err: error, action: entry.action }, 'could not write an audit event');
    }
  }
}
