// prepareSubflow against a real database: which version a child run pins, which agents it refuses,
// and how input and tool-argument problems are reported.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '@trellis/worker';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

let database: TestDatabase;
let activities: ReturnType<typeof createActivities>;
let agentId: string;
const versionIds: string[] = [];
/** The run asking for the child: its workspace bounds the agent lookup. */
let requester: { runId: string };

const inputSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } },
  required: ['city'],
};
const dagV1 = { nodes: [{ id: 'v1', type: 'set', config: { value: 1 } }], edges: [] };
const dagV2 = { inputSchema, nodes: [{ id: 'v2', type: 'set', config: { value: '{{ input.city }}' } }], edges: [] };
const dagV3 = { nodes: [{ id: 'v3', type: 'set', config: { value: 3 } }], edges: [] };

beforeAll(async () => {
  database = await createTestDatabase();
  activities = createActivities({ prisma: database.prisma, env: {} });
  const agent = await database.prisma.agent.create({ data: { name: `agent-${randomUUID()}` } });
  agentId = agent.id;
  for (const [index, dag] of [dagV1, dagV2, dagV3].entries()) {
    const version = await database.prisma.agentVersion.create({ data: { agentId, version: index + 1, dag } });
    versionIds.push(version.id);
  }
  // Version 2 is live, so "no version" and "version 3" must give different answers.
  await database.prisma.agent.update({ where: { id: agentId }, data: { liveVersionId: versionIds[1] } });
  const parent = await database.prisma.run.create({ data: { id: randomUUID(), agentId, agentVersionId: versionIds[0], input: {} } });
  requester = { runId: parent.id };
});
afterAll(async () => {
  await database?.drop();
});

describe('prepareSubflow: resolving the agent', () => {
  it("pins the agent's live version when no version is given", async () => {
    const prepared = await activities.prepareSubflow({ ...requester, agent: { id: agentId } });
    expect(prepared).toEqual({ ok: true, agentId, agentVersionId: versionIds[1], version: 2, dag: dagV2 });
  });

  it('pins the requested version', async () => {
    const prepared = await activities.prepareSubflow({ ...requester, agent: { id: agentId, version: 3 } });
    expect(prepared).toEqual({ ok: true, agentId, agentVersionId: versionIds[2], version: 3, dag: dagV3 });
  });

  it('fails with a non-retryable AgentNotFound for a malformed or unknown id', async () => {
    for (const id of ['not-a-uuid', randomUUID()]) {
      const attempt = activities.prepareSubflow({ ...requester, agent: { id } });
      await expect(attempt).rejects.toMatchObject({ type: 'AgentNotFound', nonRetryable: true });
      await expect(attempt).rejects.toThrow(id);
    }
  });

  it("does not find another workspace's agent, named by the requester's workspace or by its run", async () => {
    const other = await database.prisma.workspace.create({ data: { name: `other-${randomUUID()}` } });
    const foreign = await database.prisma.agent.create({ data: { name: 'foreign', workspaceId: other.id } });
    const version = await database.prisma.agentVersion.create({ data: { agentId: foreign.id, version: 1, dag: dagV1 } });
    await database.prisma.agent.update({ where: { id: foreign.id }, data: { liveVersionId: version.id } });
    const { workspaceId } = await database.prisma.run.findUniqueOrThrow({ where: { id: requester.runId } });
    for (const attempt of [
      () => activities.prepareSubflow({ ...requester, agent: { id: foreign.id } }),
      () => activities.prepareSubflow({ runId: requester.runId, workspaceId, agent: { id: foreign.id } }),
      // A run that is not (yet) recorded has no known workspace: nothing is found.
      () => activities.prepareSubflow({ runId: randomUUID(), agent: { id: agentId } }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ type: 'AgentNotFound', nonRetryable: true });
    }
    // The other workspace's own runs find it.
    const theirs = await activities.prepareSubflow({ runId: randomUUID(), workspaceId: other.id, agent: { id: foreign.id } });
    expect(theirs).toMatchObject({ ok: true, agentId: foreign.id });
  });

  it('fails with a non-retryable AgentVersionNotFound for an unknown version', async () => {
    const attempt = activities.prepareSubflow({ ...requester, agent: { id: agentId, version: 9 } });
    await expect(attempt).rejects.toMatchObject({ type: 'AgentVersionNotFound', nonRetryable: true });
    await expect(attempt).rejects.toThrow(/version 9/);
  });

  it('fails with AgentVersionNotFound when the agent has no live version', async () => {
    const bare = await database.prisma.agent.create({ data: { name: `bare-${randomUUID()}`, workspaceId: (await database.prisma.agent.findUniqueOrThrow({ where: { id: agentId } })).workspaceId } });
    const attempt = activities.prepareSubflow({ ...requester, agent: { id: bare.id } });
    await expect(attempt).rejects.toMatchObject({ type: 'AgentVersionNotFound', nonRetryable: true });
    await expect(attempt).rejects.toThrow(bare.id);
  });
});

describe('prepareSubflow: checking the input', () => {
  it("accepts input that matches the version's input schema", async () => {
    const prepared = await activities.prepareSubflow({ ...requester, agent: { id: agentId }, input: { city: 'Oslo', days: 2 }, checkInput: true });
    expect(prepared).toMatchObject({ ok: true, version: 2 });
  });

  it('reports every input problem with paths under input', async () => {
    const prepared = await activities.prepareSubflow({ ...requester, agent: { id: agentId }, input: { days: 0 }, checkInput: true });
    expect(prepared).toEqual({
      ok: false,
      message: `Input does not match the input schema of agent ${agentId} version 2`,
      issues: expect.arrayContaining([
        { path: 'input.city', message: 'is required' },
        { path: 'input.days', message: 'must be >= 1' },
      ]) as unknown,
    });
    expect((prepared as { issues: unknown[] }).issues).toHaveLength(2);
  });

  it('checks an absent input as {}', async () => {
    const prepared = await activities.prepareSubflow({ ...requester, agent: { id: agentId }, checkInput: true });
    expect(prepared).toMatchObject({ ok: false, issues: [{ path: 'input.city', message: 'is required' }] });
  });

  it('skips the input schema unless checkInput is set', async () => {
    const prepared = await activities.prepareSubflow({ ...requester, agent: { id: agentId }, input: { days: 0 } });
    expect(prepared).toMatchObject({ ok: true, version: 2 });
  });

  it('checks tool arguments against argumentsSchema with paths under arguments', async () => {
    const argumentsSchema = { type: 'object', properties: { city: { type: 'string', minLength: 3 } }, additionalProperties: false };
    const prepared = await activities.prepareSubflow({ ...requester,
      agent: { id: agentId, version: 1 },
      input: { city: 'NY', extra: true },
      checkInput: true,
      argumentsSchema,
    });
    expect(prepared).toEqual({
      ok: false,
      message: "Arguments do not match the tool's parameters",
      issues: expect.arrayContaining([
        { path: 'arguments.city', message: 'must NOT have fewer than 3 characters' },
        { path: 'arguments.extra', message: 'is not allowed' },
      ]) as unknown,
    });
  });

  it('lists argument problems before input problems when both fail', async () => {
    const prepared = await activities.prepareSubflow({ ...requester,
      agent: { id: agentId },
      input: 'Oslo',
      checkInput: true,
      argumentsSchema: { type: 'object' },
    });
    expect(prepared).toEqual({
      ok: false,
      message: `Arguments do not match the tool's parameters nor the input schema of agent ${agentId} version 2`,
      issues: [
        { path: 'arguments', message: 'must be object' },
        { path: 'input', message: 'must be object' },
      ],
    });
  });

  it('accepts arguments that match both schemas', async () => {
    const prepared = await activities.prepareSubflow({ ...requester,
      agent: { id: agentId },
      input: { city: 'Oslo' },
      checkInput: true,
      argumentsSchema: { type: 'object', required: ['city'] },
    });
    expect(prepared).toMatchObject({ ok: true, agentVersionId: versionIds[1] });
  });
});
