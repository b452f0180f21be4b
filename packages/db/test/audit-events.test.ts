// The audit trail is append-only: its triggers refuse UPDATE, DELETE and TRUNCATE, whoever asks,
// and deleting a workspace leaves that workspace's events in place.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditActorType, AuditOutcome } from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

describe('audit_events', () => {
  let database: TestDatabase;
  let client: pg.Client;
  let eventId: string;
  let workspaceId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    workspaceId = (await database.prisma.workspace.create({ data: { name: 'audited' } })).id;
    const event = await database.prisma.auditEvent.create({
      data: { workspaceId, actorType: AuditActorType.USER, actorId: 'u1', action: 'agent.create', targetType: 'agent', targetId: 'a1', outcome: AuditOutcome.SUCCESS },
    });
    eventId = event.id;
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('fills occurred_at and an empty metadata object by default', async () => {
    const event = await database.prisma.auditEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(event.metadata).toEqual({});
    expect(event.occurredAt).toBeInstanceOf(Date);
    expect(event.ip).toBeNull();
  });

  it('accepts events without a workspace (such as a failed sign-in of an unknown user)', async () => {
    const event = await database.prisma.auditEvent.create({
      data: { actorType: AuditActorType.SYSTEM, action: 'session.create', outcome: AuditOutcome.DENIED, metadata: { email: 'nobody@example.com' } },
    });
    expect(event.workspaceId).toBeNull();
  });

  it('rejects an UPDATE with restrict_violation', async () => {
    const error = await client.query(`UPDATE audit_events SET outcome = 'DENIED' WHERE id = $1`, [eventId]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: '23001', message: 'audit events are append-only (UPDATE refused)' });
  });

  it('rejects a DELETE, through SQL and through Prisma', async () => {
    const error = await client.query(`DELETE FROM audit_events WHERE id = $1`, [eventId]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: '23001', message: 'audit events are append-only (DELETE refused)' });
    await expect(database.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    expect(await database.prisma.auditEvent.count({ where: { id: eventId } })).toBe(1);
  });

  it('rejects a TRUNCATE', async () => {
    const error = await client.query(`TRUNCATE audit_events`).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: '23001', message: 'audit events are append-only (TRUNCATE refused)' });
    expect(await database.prisma.auditEvent.count()).toBeGreaterThan(0);
  });

  it('keeps the events of a deleted workspace', async () => {
    await database.prisma.workspace.delete({ where: { id: workspaceId } });
    const event = await database.prisma.auditEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(event.workspaceId).toBe(workspaceId);
  });
});
