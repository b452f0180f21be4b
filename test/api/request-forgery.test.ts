/**
 * Requests a browser could be tricked into sending: every mutation without credentials, over path variants
 * of `/graphql`; cookie-authenticated mutations and sockets from another site (the Origin check), the
 * `text/plain` form post Apollo's CSRF prevention refuses, and mutations over GET.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestContext, sessionCookieOf, setDag, startTestApi } from './support/api-test-context.js';
import { committedSchema, sampleOperation } from './support/sample-operations.js';

const PUBLIC_URL = 'https://trellis.acme.test';
/** The mutations that are the ways in, public by design (see the access declarations test). */
const PUBLIC_MUTATIONS = new Set(['login', 'setupOwner', 'acceptInvitation']);

let ctx: ApiTestContext;
let cookie: string;

beforeAll(async () => {
  let setupToken = '';
  const logger = pino({ level: 'warn' }, { write: (line: string) => void (setupToken = (JSON.parse(line) as { setupToken?: string }).setupToken ?? setupToken) });
  ctx = await startTestApi({ logger, publicUrl: PUBLIC_URL });
  const setup = await ctx.graphqlWith({}, `mutation ($token: String!) { setupOwner(token: $token, email: "owner@acme.test", password: "owner password 12345", workspaceName: "Acme") { user { id } } }`, { token: setupToken });
  cookie = `trellis_session=${sessionCookieOf(setup).token}`;
});
afterAll(async () => {
  await ctx?.close();
});

describe('requests without credentials', () => {
  const mutations = Object.values(committedSchema.getMutationType()!.getFields()).filter((field) => !PUBLIC_MUTATIONS.has(field.name));

  it('refuses every mutation but the ways in, and stores nothing', async () => {
    expect(mutations.length).toBeGreaterThan(20);
    const before = await ctx.rowCounts();
    for (const field of mutations) {
      const { query, variables } = sampleOperation('mutation', field);
      const response = await ctx.graphqlWith({}, query, variables);
      expect(response.errors?.[0]?.extensions?.code, `${field.name}: ${JSON.stringify(response.errors)}`).toBe('UNAUTHENTICATED');
    }
    expect(await ctx.rowCounts()).toEqual(before);
  });

  it('serves no variant of the GraphQL path without the check', async () => {
    const body = JSON.stringify({ query: `mutation { createAgent(input: { name: "sneaky", dag: { nodes: [] } }) { id } }` });
    for (const path of ['/graphql', '/graphql/', '/GRAPHQL', '/Graphql', '//graphql', '/graphql?x=1', '/%67raphql', '/graphql%2F', '/./graphql', '/api/../graphql']) {
      const response = await fetch(`${ctx.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.text();
      // Either not served at all, or served and refused: never an agent.
      expect(text, path).not.toMatch(/"createAgent":\{"id"/);
      if (response.status === 200) expect(text, path).toContain('UNAUTHENTICATED');
    }
    expect(await ctx.db.prisma.agent.count({ where: { name: 'sneaky' } })).toBe(0);
  });
});

describe('cross-site requests with the session cookie', () => {
  const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;

  it("refuses a cookie-authenticated mutation from another site's Origin, and serves the site's own", async () => {
    const foreign = await ctx.graphqlWith({ cookie, origin: 'https://evil.example' }, CREATE, { input: { name: 'forged', dag: setDag() } });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const opaque = await ctx.graphqlWith({ cookie, origin: 'null' }, CREATE, { input: { name: 'forged', dag: setDag() } });
    expect(opaque.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await ctx.db.prisma.agent.count({ where: { name: 'forged' } })).toBe(0);
    const own = await ctx.graphqlWith({ cookie, origin: PUBLIC_URL }, CREATE, { input: { name: 'mine', dag: setDag() } });
    expect(own.errors).toBeUndefined();
    // Reading is not refused: another site cannot read the answer (no CORS), and queries change nothing.
    expect((await ctx.graphqlWith({ cookie, origin: 'https://evil.example' }, `{ agents { id } }`)).errors).toBeUndefined();
  });

  it('refuses the text/plain form post a page on another site can send without a preflight', async () => {
    const response = await fetch(ctx.api.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie, origin: 'https://evil.example' },
      body: JSON.stringify({ query: `mutation { createAgent(input: { name: "plain", dag: { nodes: [] } }) { id } }` }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await ctx.db.prisma.agent.count({ where: { name: 'plain' } })).toBe(0);
  });

  it('serves no mutation over GET', async () => {
    const query = encodeURIComponent(`mutation { createAgent(input: { name: "got", dag: { nodes: [] } }) { id } }`);
    const response = await fetch(`${ctx.api.graphqlUrl}?query=${query}`, { headers: { cookie, 'apollo-require-preflight': 'true' } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await ctx.db.prisma.agent.count({ where: { name: 'got' } })).toBe(0);
  });

  it("refuses a cookie-authenticated subscription from another site's page", async () => {
    const { default: WebSocket } = await import('ws');
    const { createClient } = await import('graphql-ws');
    const open = (origin: string) =>
      new Promise<{ kind: string; code?: number; errors?: unknown }>((resolve) => {
        const client = createClient({
          url: ctx.api.graphqlUrl.replace(/^http/, 'ws'),
          retryAttempts: 0,
          webSocketImpl: class extends WebSocket {
            constructor(url: string, protocols: string[]) {
              super(url, protocols, { headers: { cookie, origin } });
            }
          },
        });
        client.subscribe(
          { query: `subscription ($id: ID!) { runUpdated(agentId: $id) { id } }`, variables: { id: '00000000-0000-4000-8000-000000000000' } },
          {
            next: (result) => {
              void client.dispose();
              resolve(result.errors ? { kind: 'errors', errors: result.errors } : { kind: 'data' });
            },
            error: (error) => {
              void client.dispose();
              resolve({ kind: 'closed', code: (error as { code?: number }).code });
            },
            complete: () => resolve({ kind: 'complete' }),
          },
        );
      });
    const foreign = await open('https://evil.example');
    expect(foreign).toMatchObject({ kind: 'errors' });
    expect(JSON.stringify(foreign)).toContain('FORBIDDEN');
    // From the site itself the same socket is served (the unknown agent is then NOT_FOUND).
    const own = await open(PUBLIC_URL);
    expect(JSON.stringify(own)).toContain('NOT_FOUND');
  });
});
