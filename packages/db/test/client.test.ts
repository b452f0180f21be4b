// createPrismaClient: a working client through the pg driver adapter, and the re-exported model types and enums.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, RunStatus, RunTrigger, type PrismaClient, type Run } from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

describe('createPrismaClient', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = createPrismaClient(database.url, { max: 2 });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });

  it('writes and reads rows with defaults, enums, JSON and timestamps', async () => {
    const agent = await prisma.agent.create({
      data: { name: 'client-test', versions: { create: { version: 1, dag: { nodes: [] } } } },
      include: { versions: true },
    });
    const run: Run = await prisma.run.create({
      data: { id: crypto.randomUUID(), agentId: agent.id, agentVersionId: agent.versions[0].id, input: { q: 1 } },
    });
    expect(run.status).toBe(RunStatus.RUNNING);
    expect(run.trigger).toBe(RunTrigger.API);
    expect(run.startedAt).toBeInstanceOf(Date);
    expect(run.output).toBeNull();

    await expect(
      prisma.agent.create({ data: { name: 'client-test' } }),
    ).rejects.toMatchObject({ code: 'P2002' }); // unique violation on agents.name
  });

  it('honours the pool size option (max connections)', async () => {
    // Four concurrent pg_sleep calls on a pool of 2 take two rounds.
    const started = Date.now();
    await Promise.all(Array.from({ length: 4 }, () => prisma.$executeRaw`SELECT pg_sleep(0.3)`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });
});
