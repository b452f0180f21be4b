// Agent versions are immutable: the init migration's trigger rejects every UPDATE, whoever issues it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAgentVersionImmutableError, postgresErrorDetails, Prisma } from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

describe('agent_versions immutability', () => {
  let database: TestDatabase;
  let versionId: string;
  let agentId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const agent = await database.prisma.agent.create({
      data: { name: 'immutability-test', versions: { create: { version: 1, dag: { nodes: [], edges: [] } } } },
      include: { versions: true },
    });
    agentId = agent.id;
    versionId = agent.versions[0].id;
    // Pointing the agent at its version updates `agents`, not `agent_versions`: allowed.
    await database.prisma.agent.update({ where: { id: agentId }, data: { liveVersionId: versionId } });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('rejects an UPDATE through SQL with restrict_violation', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const error = await client
        .query(`UPDATE agent_versions SET dag = '{"nodes":[{"id":"x","type":"noop"}],"edges":[]}' WHERE id = $1`, [versionId])
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: '23001' });
      expect((error as Error).message).toContain('agent versions are immutable');
      expect(isAgentVersionImmutableError(error)).toBe(true);
    } finally {
      await client.end();
    }
  });

  it('rejects an update through Prisma and leaves the row unchanged', async () => {
    const error = await database.prisma.agentVersion
      .update({ where: { id: versionId }, data: { version: 2 } })
      .catch((caught: unknown) => caught);
    // Prisma reports SQLSTATE 23001 as P2003; the trigger's own code and message survive in meta.
    expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect(error).toMatchObject({ code: 'P2003' });
    expect(postgresErrorDetails(error)).toEqual({ code: '23001', message: expect.stringContaining('agent versions are immutable') });
    expect(isAgentVersionImmutableError(error)).toBe(true);
    const row = await database.prisma.agentVersion.findUniqueOrThrow({ where: { id: versionId } });
    expect(row.version).toBe(1);
    expect(row.dag).toEqual({ nodes: [], edges: [] });
  });

  it('still allows inserting new versions and deleting the agent (cascading to its versions)', async () => {
    await database.prisma.agentVersion.create({ data: { agentId, version: 2, dag: { nodes: [] } } });
    // Other constraint errors are not mistaken for the immutability rule.
    const duplicate = await database.prisma.agentVersion
      .create({ data: { agentId, version: 2, dag: {} } })
      .catch((caught: unknown) => caught);
    expect(duplicate).toMatchObject({ code: 'P2002' });
    expect(isAgentVersionImmutableError(duplicate)).toBe(false);
    expect(await database.prisma.agentVersion.count({ where: { agentId } })).toBe(2);
    await database.prisma.agent.delete({ where: { id: agentId } });
    expect(await database.prisma.agentVersion.count({ where: { agentId } })).toBe(0);
  });

});
