import { Inject, Injectable } from '@nestjs/common';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../../common/pagination/keyset-cursor.js';
import { assertIntInRange } from '../../../common/validation/argument-guards.js';
import { PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import type { AuditEventConnectionType } from '../dtos/audit-event.type.js';

/** Largest page of `auditEvents`. */
export const MAX_AUDIT_PAGE_SIZE = 500;

/** Filters of `auditEvents`; every one optional. */
export interface AuditEventsQuery {
  first?: number | null;
  after?: string | null;
  action?: string | null;
  actorId?: string | null;
  targetId?: string | null;
  since?: Date | null;
  until?: Date | null;
}

/** Reads the current workspace's audit log (the Prisma client's scope keeps it to that workspace). */
@Injectable()
export class AuditEventsService {
  constructor(@Inject(PRISMA) private readonly prisma: TrellisPrismaClient) {}

  /**
   * A page of events, newest first (`occurredAt desc, id desc`), matching every filter given; `since`
   * inclusive, `until` exclusive.
   *
   * @throws TrellisException `BAD_USER_INPUT` for `first` outside 1–500 or a foreign `after` cursor
   */
  async page(query: AuditEventsQuery): Promise<AuditEventConnectionType> {
    const first = query.first ?? 100;
    assertIntInRange(first, 'first', 1, MAX_AUDIT_PAGE_SIZE);
    const after = query.after != null ? decodeKeysetCursor(query.after, 'after') : null;
    const rows = await this.prisma.auditEvent.findMany({
      where: {
        ...(query.action != null && { action: query.action }),
        ...(query.actorId != null && { actorId: query.actorId }),
        ...(query.targetId != null && { targetId: query.targetId }),
        ...((query.since != null || query.until != null) && {
          occurredAt: { ...(query.since != null && { gte: query.since }), ...(query.until != null && { lt: query.until }) },
        }),
        ...(after && { OR: [{ occurredAt: { lt: after.at } }, { occurredAt: after.at, id: { lt: after.id } }] }),
      },
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
      take: first + 1,
    });
    const page = rows.slice(0, first);
    const edges = page.map((row) => ({ cursor: encodeKeysetCursor({ at: row.occurredAt, id: row.id }), node: row as never }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
