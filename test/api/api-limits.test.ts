/**
 * The API's bounds over the wire: GraphQL depth, aliases, tokens and cost (each BAD_USER_INPUT naming the
 * limit), the request body limit (413 PAYLOAD_TOO_LARGE stating it, and large DAGs within it accepted),
 * introspection switched off, the per-principal request rate shared by two API processes (429 with
 * Retry-After), and the per-workspace run start tiers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStartTier } from '@trellis/api';
import { type ApiTestContext, createWorkspaceWithKey, type GraphqlResponse, setDag, startTestApi, TEST_AUTHORIZATION } from './support/api-test-context.js';

let ctx: ApiTestContext;
beforeAll(async () => {
  ctx = await startTestApi();
});
afterAll(async () => {
  await ctx?.close();
});

/**
 * The per-minute limits count in fixed windows starting on the minute; a test that must fill one window
 * first waits out the last 10 s of a minute, so its requests cannot straddle two windows.
 */
async function startOfAWindow(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
}

function limitOf(response: GraphqlResponse): unknown {
  const error = response.errors?.[0];
  return error && { code: error.extensions?.code, limit: error.extensions?.limit, maximum: error.extensions?.maximum };
}

describe('GraphQL operation limits', () => {
  it('refuses a selection deeper than 12 and serves one of 12', async () => {
    const nested = (depth: number) => `{ run(id: "${randomUUID()}") ${'{ parentRun '.repeat(depth - 2)}{ id }${' }'.repeat(depth - 2)} }`;
    const refused = await ctx.graphql(nested(13));
    expect(limitOf(refused)).toEqual({ code: 'BAD_USER_INPUT', limit: 'depth', maximum: 12 });
    expect(refused.errors?.[0].message).toMatch(/depth limit of 12 exceeded, found 13/);
    // Depth 12 passes the limit (and is then just an unknown run).
    expect((await ctx.graphql(nested(12))).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses more than 30 aliases, such as 2,000 copies of agents { versions { dag } }', async () => {
    const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, index) => `a${index}: agents { versions { dag } }`).join(' ')} }`;
    const refused = await ctx.graphql(aliased(2_000));
    expect(limitOf(refused)).toEqual({ code: 'BAD_USER_INPUT', limit: 'aliases', maximum: 30 });
    expect((await ctx.graphql(aliased(30))).errors).toBeUndefined();
  });

  it('refuses a document of more than 20,000 tokens', async () => {
    const padded = `{ agents { ${'id '.repeat(20_001)} } }`;
    const refused = await ctx.graphql(padded);
    expect(limitOf(refused)).toEqual({ code: 'BAD_USER_INPUT', limit: 'tokens', maximum: 20_000 });
  });

  it('refuses an operation whose list sizes multiply past the cost limit, counting page sizes from variables', async () => {
    const query = `query ($first: Int) { runs(first: $first) { edges { node { childRuns(first: $first) { childRuns(first: $first) { id } } } } } }`;
    // 100 runs × 100 children × 100 grandchildren.
    const refused = await ctx.graphql(query, { first: 100 });
    expect(limitOf(refused)).toEqual({ code: 'BAD_USER_INPUT', limit: 'cost', maximum: 50_000 });
    expect(refused.status).toBe(400);
    expect((await ctx.graphql(query, { first: 10 })).errors).toBeUndefined();
  });
});

describe('request body limit', () => {
  it('accepts a DAG of 3,000 nodes and refuses a body over 5 MiB with a JSON 413 stating the limit', async () => {
    const nodes = Array.from({ length: 3_000 }, (_, index) => ({ id: `n${index}`, type: 'set', config: { value: index } }));
    const big = await ctx.graphql(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: 'wide', dag: { nodes, edges: [] } },
    });
    expect(big.errors).toBeUndefined();
    const response = await fetch(ctx.api.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: TEST_AUTHORIZATION },
      body: JSON.stringify({ query: '{ agents { id } }', variables: { padding: 'x'.repeat(5 * 1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining(`limit of ${5 * 1024 * 1024} bytes`) },
    });
  });
});

describe('introspection', () => {
  it('is served by default outside production and refused when switched off', async () => {
    const introspect = `{ __schema { queryType { name } } }`;
    expect((await ctx.graphql(introspect)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const closed = await startTestApi({ db: ctx.db, limits: { introspection: false } });
    try {
      const refused = await closed.graphql(introspect);
      expect(refused.errors?.[0]?.message).toMatch(/introspection/i);
      expect(refused.data ?? null).toBeNull();
    } finally {
      await closed.close();
    }
  });
});

describe('rate limits', () => {
  it('refuses a principal past its requests per minute with 429 and Retry-After, across two API processes', async () => {
    const first = await startTestApi({ db: ctx.db, limits: { requestsPerMinute: 5 } });
    const second = await startTestApi({ db: ctx.db, limits: { requestsPerMinute: 5 } });
    try {
      const tenant = await createWorkspaceWithKey(ctx.db, 'busy');
      await startOfAWindow();
      const ask = (api: ApiTestContext) => api.graphqlWith({ authorization: tenant.authorization }, `{ agents { id } a: agents { id } }`);
      for (const api of [first, second, first, second, first]) expect((await ask(api)).errors).toBeUndefined();
      const refused = await ask(second);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // The refused request is refused as a whole, saying when to retry.
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.every((error) => error.extensions?.code === 'TOO_MANY_REQUESTS')).toBe(true);
      expect(refused.errors?.[0].extensions?.retryAfterSeconds).toEqual(Number(refused.headers.get('retry-after')));
      // Another principal has its own budget.
      expect((await first.graphql(`{ agents { id } }`)).status).toBe(200);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('limits run starts per workspace by the number of agent nodes', async () => {
    const limited = await startTestApi({ db: ctx.db, limits: { runStartsPerMinute: { plain: 2, fewAgents: 1, manyAgents: 1 } } });
    try {
      const tenant = await createWorkspaceWithKey(ctx.db, 'starter');
      const as = (query: string, variables: Record<string, unknown>) => limited.graphqlWith({ authorization: tenant.authorization }, query, variables);
      const create = async (name: string, dag: unknown) =>
        (await as(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name, dag } })).data!.createAgent.id as string;
      const start = (agentId: string) => as(`mutation ($id: ID!) { startRun(agentId: $id) { id } }`, { id: agentId });
      const plain = await create('plain', setDag());
      const agentDag = { nodes: [{ id: 'assistant', type: 'agent', config: { provider: 'openai', model: 'm', prompt: 'p', maxTurns: 1 } }] };
      const withAgent = await create('with-agent', agentDag);
      await startOfAWindow();
      expect((await start(plain)).errors).toBeUndefined();
      expect((await start(plain)).errors).toBeUndefined();
      const third = await start(plain);
      expect(third.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
      expect(third.status).toBe(429);
      // The agent tier has its own budget of one.
      expect((await start(withAgent)).errors).toBeUndefined();
      expect((await start(withAgent)).errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
      expect(await ctx.db.prisma.run.count({ where: { workspaceId: tenant.workspaceId } })).toBe(3);
      // Another workspace is not held back by this one.
      const other = await createWorkspaceWithKey(ctx.db, 'unaffected');
      const theirs = (await limited.graphqlWith({ authorization: other.authorization }, `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'p', dag: setDag() } })).data!.createAgent.id;
      expect((await limited.graphqlWith({ authorization: other.authorization }, `mutation ($id: ID!) { startRun(agentId: $id) { id } }`, { id: theirs })).errors).toBeUndefined();
    } finally {
      await limited.close();
    }
  });

  it('counts agent nodes, those of inline forEach bodies included', () => {
    const agent = { id: 'a', type: 'agent', config: {} };
    expect(runStartTier({ nodes: [{ id: 's', type: 'set', config: {} }] } as never)).toBe('plain');
    expect(runStartTier({ nodes: [agent, { ...agent, id: 'b' }] } as never)).toBe('fewAgents');
    expect(runStartTier({ nodes: [agent, { id: 'loop', type: 'forEach', config: { nodes: [agent, agent] } }] } as never)).toBe('manyAgents');
  });
});
