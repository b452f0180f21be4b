import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestContext, setDag, startTestApi } from './support/api-test-context.js';

const AGENT_FIELDS = `id name description createdAt liveVersion { id version dag createdAt } versions { id version dag }`;
const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { ${AGENT_FIELDS} } }`;
const PUBLISH = `mutation ($agentId: ID!, $dag: JSON!) { publishAgentVersion(agentId: $agentId, dag: $dag) { ${AGENT_FIELDS} } }`;
const SET_LIVE = `mutation ($agentId: ID!, $version: Int!) { setLiveVersion(agentId: $agentId, version: $version) { ${AGENT_FIELDS} } }`;
const START = `mutation ($agentId: ID!, $version: Int) { startRun(agentId: $agentId, version: $version) { id status trigger agentVersion { version } } }`;

let ctx: ApiTestContext;
beforeAll(async () => {
  ctx = await startTestApi();
});
afterAll(async () => {
  await ctx?.close();
});

let nameCounter = 0;
const uniqueName = (prefix: string) => `${prefix}-${++nameCounter}`;

describe('agents and versions', () => {
  it('creates an agent whose version 1 is live, storing the DAG with defaults applied', async () => {
    const { createAgent } = await ctx.graphqlOk(CREATE, {
      input: { name: uniqueName('create'), description: 'says hello', dag: setDag('hello') },
    });
    expect(createAgent.description).toBe('says hello');
    expect(createAgent.liveVersion.version).toBe(1);
    expect(createAgent.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    // validateDag's defaults (`edges: []`) are what gets stored.
    expect(createAgent.liveVersion.dag.edges).toEqual([]);
    expect(createAgent.liveVersion.dag.nodes[0]).toEqual({ id: 'answer', type: 'set', config: { value: 'hello' } });
    expect(new Date(createAgent.createdAt).toISOString()).toBe(createAgent.createdAt);

    const { agent } = await ctx.graphqlOk(`query ($id: ID!) { agent(id: $id) { ${AGENT_FIELDS} } }`, { id: createAgent.id });
    expect(agent).toEqual(createAgent);
    const { agents } = await ctx.graphqlOk(`{ agents { id name } }`);
    expect(agents).toContainEqual({ id: createAgent.id, name: createAgent.name });
  });

  it('publishes the next version, leaves the old one unchanged, and the database rejects updates to versions', async () => {
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: uniqueName('publish'), dag: setDag('v1') } });
    const v1 = createAgent.liveVersion;
    const { publishAgentVersion } = await ctx.graphqlOk(PUBLISH, { agentId: createAgent.id, dag: setDag('v2') });
    expect(publishAgentVersion.liveVersion.version).toBe(2);
    expect(publishAgentVersion.liveVersion.dag.nodes[0].config.value).toBe('v2');
    const [first, second] = publishAgentVersion.versions;
    expect(first).toEqual({ id: v1.id, version: 1, dag: v1.dag });
    expect(second.version).toBe(2);

    await expect(
      ctx.db.prisma.$executeRawUnsafe(`UPDATE agent_versions SET dag = '{}'::jsonb WHERE id = $1::uuid`, v1.id),
    ).rejects.toThrow(/immutable/);
    const stored = await ctx.db.prisma.agentVersion.findUniqueOrThrow({ where: { id: v1.id } });
    expect(stored.dag).toEqual(v1.dag);
  });

  it('gives concurrent publishes distinct consecutive version numbers', async () => {
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: uniqueName('concurrent'), dag: setDag(0) } });
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => ctx.graphqlOk(PUBLISH, { agentId: createAgent.id, dag: setDag(i) })),
    );
    const published = results.map((r) => r.publishAgentVersion.liveVersion.version).sort();
    expect(published).toEqual([2, 3, 4, 5, 6]);
    const { agent } = await ctx.graphqlOk(`query ($id: ID!) { agent(id: $id) { versions { version } } }`, { id: createAgent.id });
    expect(agent.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('moves the live pointer with setLiveVersion, and startRun without a version uses the live one', async () => {
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: uniqueName('live'), dag: setDag('v1') } });
    await ctx.graphqlOk(PUBLISH, { agentId: createAgent.id, dag: setDag('v2') });

    const before = await ctx.graphqlOk(START, { agentId: createAgent.id });
    expect(before.startRun).toMatchObject({ status: 'RUNNING', trigger: 'API', agentVersion: { version: 2 } });

    const { setLiveVersion } = await ctx.graphqlOk(SET_LIVE, { agentId: createAgent.id, version: 1 });
    expect(setLiveVersion.liveVersion.version).toBe(1);
    const after = await ctx.graphqlOk(START, { agentId: createAgent.id });
    expect(after.startRun.agentVersion.version).toBe(1);
    const pinned = await ctx.graphqlOk(START, { agentId: createAgent.id, version: 2 });
    expect(pinned.startRun.agentVersion.version).toBe(2);
  });
});

describe('node types of the interpreter', () => {
  it('accepts forEach, subflow, agent and code nodes, and checks their configs', async () => {
    const { createAgent: child } = await ctx.graphqlOk(CREATE, { input: { name: uniqueName('child'), dag: setDag() } });
    const dag = {
      nodes: [
        { id: 'items', type: 'code', config: { source: 'return [1, 2, 3];' } },
        {
          id: 'each',
          type: 'forEach',
          config: { items: 'nodes.items.output', nodes: [{ id: 'double', type: 'set', config: { value: '{{ input.item * 2 }}' } }] },
        },
        { id: 'delegate', type: 'subflow', config: { agent: { id: child.id }, input: {} } },
        {
          id: 'assistant',
          type: 'agent',
          config: {
            provider: 'openai',
            model: 'gpt-test',
            prompt: 'Summarize {{ nodes.each.output }}',
            maxTurns: 3,
            tools: [{ name: 'helper', description: 'Asks the child agent', agent: { id: child.id } }],
          },
        },
      ],
      edges: [
        { from: 'items', to: 'each' },
        { from: 'each', to: 'delegate' },
        { from: 'delegate', to: 'assistant' },
      ],
    };
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: uniqueName('depth'), dag } });
    expect(createAgent.liveVersion.dag.nodes.map((node: { type: string }) => node.type)).toEqual(['code', 'forEach', 'subflow', 'agent']);

    const invalid = {
      nodes: [
        { id: 'each', type: 'forEach', config: { items: 'input.list' } },
        { id: 'assistant', type: 'agent', config: { provider: 'openai', model: 'm', prompt: 'p', maxTurns: 0 } },
      ],
    };
    const result = await ctx.graphql(CREATE, { input: { name: uniqueName('depth-invalid'), dag: invalid } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const paths = result.errors![0].extensions!.issues!.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['nodes[0].config', 'nodes[1].config.maxTurns']));
  });
});

describe('rejected requests store nothing', () => {
  const cyclicDag = {
    nodes: [
      { id: 'a', type: 'set', config: { value: 1 } },
      { id: 'b', type: 'set', config: { value: 2 } },
    ],
    edges: [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'a' },
    ],
  };
  const badDag = {
    nodes: [
      { id: 'ok', type: 'set', config: { value: 1 } },
      { id: 'mystery', type: 'teleport', config: {} },
      { id: 'fetch', type: 'http', config: { url: 'https://example.com/{{ input.( }}' } },
    ],
  };

  async function expectRejected(
    query: string,
    variables: Record<string, unknown>,
    code: string,
    issuePaths?: string[],
  ): Promise<void> {
    const before = await ctx.rowCounts();
    const result = await ctx.graphql(query, variables);
    expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result.errors)).toBe(code);
    if (issuePaths) {
      const paths = result.errors![0].extensions!.issues!.map((issue) => issue.path);
      for (const path of issuePaths) expect(paths).toContain(path);
    }
    expect(await ctx.rowCounts()).toEqual(before);
  }

  it('rejects a cyclic DAG on create with BAD_USER_INPUT and the edge path', async () => {
    await expectRejected(CREATE, { input: { name: uniqueName('cycle'), dag: cyclicDag } }, 'BAD_USER_INPUT', ['edges[1]']);
  });

  it('rejects an unknown node type and a bad template on create', async () => {
    await expectRejected(CREATE, { input: { name: uniqueName('bad'), dag: badDag } }, 'BAD_USER_INPUT', [
      'nodes[1].type',
      'nodes[2].config.url',
    ]);
  });

  it('rejects an invalid DAG on publish', async () => {
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: uniqueName('pub-bad'), dag: setDag() } });
    await expectRejected(PUBLISH, { agentId: createAgent.id, dag: cyclicDag }, 'BAD_USER_INPUT', ['edges[1]']);
    await expectRejected(PUBLISH, { agentId: createAgent.id, dag: badDag }, 'BAD_USER_INPUT', ['nodes[1].type']);
  });

  it('rejects a duplicate name with CONFLICT', async () => {
    const name = uniqueName('dup');
    await ctx.graphqlOk(CREATE, { input: { name, dag: setDag() } });
    await expectRejected(CREATE, { input: { name, dag: setDag() } }, 'CONFLICT');
  });

  it('rejects malformed arguments with BAD_USER_INPUT', async () => {
    await expectRejected(CREATE, { input: { name: '   ', dag: setDag() } }, 'BAD_USER_INPUT', ['name']);
    await expectRejected(PUBLISH, { agentId: 'not-a-uuid', dag: setDag() }, 'BAD_USER_INPUT', ['agentId']);
    await expectRejected(CREATE, { input: { name: uniqueName('not-object'), dag: [1, 2] } }, 'BAD_USER_INPUT');
  });

  it('reports unknown agents and versions as NOT_FOUND', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expectRejected(PUBLISH, { agentId: missing, dag: setDag() }, 'NOT_FOUND');
    await expectRejected(SET_LIVE, { agentId: missing, version: 1 }, 'NOT_FOUND');
    await expectRejected(`query ($id: ID!) { agent(id: $id) { id } }`, { id: missing }, 'NOT_FOUND');
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: uniqueName('nf'), dag: setDag() } });
    await expectRejected(SET_LIVE, { agentId: createAgent.id, version: 7 }, 'NOT_FOUND');
    await expectRejected(START, { agentId: createAgent.id, version: 7 }, 'NOT_FOUND');
    await expectRejected(START, { agentId: missing }, 'NOT_FOUND');
  });
});
