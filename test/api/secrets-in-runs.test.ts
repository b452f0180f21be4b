/**
 * Secrets in runs, end to end on real Temporal and Postgres: an API with a vault, a worker in its own process
 * (so its logs can be read) and a local server that echoes what it receives. A secret sent in a header and a
 * body reaches that server, and nowhere else: not the run's Temporal history (raw or decoded), not a row, not a
 * log line; the node's output shows `[REDACTED:NAME]`. References are checked when an agent is saved, a
 * secret goes only to its allowed hosts, refused egress is audited, and the worker's own provider key serves
 * one workspace only.
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type FakeLlmServer, type HttpFixture, startFakeLlmServer, startHttpFixture } from '@trellis/test-support';
import { createHarness, type Harness, searchableText, spawnWorkerProcess, stopProcess, storedHistory, withEgressAllowed } from '@trellis/test-support/worker';
import { type ApiTestContext, createWorkspaceWithKey, type ResponseData, startTestApi } from './support/api-test-context.js';

const SET = `mutation ($input: SetSecretInput!) { setSecret(input: $input) { name } }`;
const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const PUBLISH = `mutation ($agentId: ID!, $dag: JSON!) { publishAgentVersion(agentId: $agentId, dag: $dag) { id } }`;
const START = `mutation ($agentId: ID!, $input: JSON) { startRun(agentId: $agentId, input: $input) { id } }`;
const RUN = `query ($id: ID!) { run(id: $id) { id status output error { message nodeId } nodes { nodeId status attempts output error { message type } } } }`;

/** Characters whose base64, base64url and URL-encoded forms all differ from the raw value. */
const TOKEN = `tok_${randomBytes(12).toString('hex')}+/=?& ü`;
const SECRET_KEY = randomBytes(32).toString('hex');

/** The forms a leaked value would take. */
function formsOf(value: string): string[] {
  const bytes = Buffer.from(value);
  return [value, bytes.toString('base64'), bytes.toString('base64url'), encodeURIComponent(value)];
}

function expectNoForm(haystack: string, value: string, where: string): void {
  for (const form of formsOf(value)) expect(haystack.includes(form), `${where} holds ${JSON.stringify(form)}`).toBe(false);
}

let fixture: HttpFixture;
let unlisted: HttpFixture;
let llm: FakeLlmServer;
let harness: Harness;
let ctx: ApiTestContext;
let worker: ChildProcess;
const apiLog: string[] = [];
const workerLog: string[] = [];

beforeAll(async () => {
  fixture = await startHttpFixture({
    fallback: (request) => ({ body: { headers: request.headers, body: request.body, path: request.path } }),
  });
  unlisted = await startHttpFixture();
  llm = await startFakeLlmServer();
  const workerEnv = withEgressAllowed(
    { TRELLIS_SECRET_KEY: SECRET_KEY, OPENAI_API_KEY: 'sk-operator', OPENAI_BASE_URL: llm.openaiBaseUrl, LOG_LEVEL: 'debug' },
    [fixture.url, llm.openaiBaseUrl],
  );
  harness = await createHarness({ env: workerEnv });
  // The run's worker is a process of its own, whose every log line the test reads.
  await harness.worker.stop();
  worker = spawnWorkerProcess(harness, workerEnv, { output: 'pipe' });
  worker.stdout?.on('data', (chunk: Buffer) => workerLog.push(chunk.toString('utf8')));
  worker.stderr?.on('data', (chunk: Buffer) => workerLog.push(chunk.toString('utf8')));
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      apiLog.push(chunk.toString('utf8'));
      done();
    },
  });
  ctx = await startTestApi({
    db: harness.db,
    temporalAddress: harness.temporalAddress,
    taskQueue: harness.taskQueue,
    secretKey: SECRET_KEY,
    logger: pino({ level: 'debug' }, capture),
  });
  await ctx.graphqlOk(SET, { input: { name: 'TOKEN', value: TOKEN } });
});
afterAll(async () => {
  if (worker) await stopProcess(worker);
  await ctx?.close();
  await harness?.close();
  await fixture?.close();
  await unlisted?.close();
  await llm?.close();
});

async function finished(runId: string, graphql: (query: string, variables?: Record<string, unknown>) => Promise<ResponseData> = (query, variables) => ctx.graphqlOk(query, variables)): Promise<ResponseData> {
  return eventually(async () => {
    const { run } = await graphql(RUN, { id: runId });
    return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status) && run;
  }, 30_000);
}

async function runAgent(name: string, dag: unknown, input: unknown = {}): Promise<ResponseData> {
  const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name, dag } });
  const { startRun } = await ctx.graphqlOk(START, { agentId: createAgent.id, input });
  return finished(startRun.id);
}

/** The run's history as stored (raw) and with every payload through the client's codecs (decoded), as text. */
async function historyTexts(runId: string): Promise<{ raw: string; decoded: string }> {
  const { text, payloads } = await storedHistory(harness.client, runId);
  const decoded = await harness.codec.decode(payloads.map(({ payload }) => payload));
  return { raw: text, decoded: decoded.map((payload) => Buffer.from(payload.data ?? new Uint8Array()).toString('utf8')).join('\n') };
}

describe('a secret used by an http node', () => {
  it('reaches the server and nothing else: not history, rows or logs; the output shows [REDACTED:TOKEN]', async () => {
    const run = await runAgent('uses-a-token', {
      nodes: [
        {
          id: 'call',
          type: 'http',
          config: {
            method: 'POST',
            url: `${fixture.url}/echo`,
            headers: { Authorization: 'Bearer {{ secrets.TOKEN }}', 'X-Api-Key': '{{ secrets.TOKEN }}' },
            body: { token: '{{ secrets.TOKEN }}', note: '{{ input.note }}' },
          },
        },
      ],
      output: 'nodes.call.output.body',
    }, { note: 'hello' });
    expect(run.status).toBe('SUCCEEDED');

    // The server got the value, in the header and in the body.
    const received = fixture.requests.find((request) => request.path === '/echo')!;
    expect(received.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(received.headers['x-api-key']).toBe(TOKEN);
    expect(received.body).toEqual({ token: TOKEN, note: 'hello' });

    // What came back is scrubbed before it left the activity.
    expect(run.output.headers.authorization).toBe('Bearer [REDACTED:TOKEN]');
    expect(run.output.body).toEqual({ token: '[REDACTED:TOKEN]', note: 'hello' });

    const history = await historyTexts(run.id);
    expect(history.decoded).toContain('{{ secrets.TOKEN }}');
    expectNoForm(history.raw, TOKEN, 'the raw history');
    expectNoForm(history.decoded, TOKEN, 'the decoded history');

    const rows = await Promise.all([
      harness.db.prisma.run.findMany(),
      harness.db.prisma.nodeRun.findMany(),
      harness.db.prisma.runEvent.findMany(),
      harness.db.prisma.payload.findMany(),
      harness.db.prisma.auditEvent.findMany(),
    ]);
    expectNoForm(searchableText(rows), TOKEN, 'the database');
    expect(workerLog.join('').length).toBeGreaterThan(0);
    expectNoForm(workerLog.join(''), TOKEN, "the worker's log");
    expectNoForm(apiLog.join(''), TOKEN, "the API's log");

    // The use is recorded, without the value.
    const secret = await harness.db.prisma.secret.findFirstOrThrow({ where: { name: 'TOKEN' } });
    expect(secret.lastUsedAt).not.toBeNull();
    const uses = await harness.db.prisma.auditEvent.findMany({ where: { action: 'secret.use', targetId: 'TOKEN' } });
    expect(uses).toHaveLength(1);
    expect(uses[0].metadata).toMatchObject({ runId: run.id, nodeId: 'call' });
  });

  it('cannot be named by data: a reference arriving in the input fails the node, and nothing is sent', async () => {
    const before = fixture.requests.length;
    const run = await runAgent('data-names-a-secret', {
      nodes: [{ id: 'post', type: 'http', config: { method: 'POST', url: `${fixture.url}/comment`, headers: { 'x-note': '{{ input.note }}' }, body: { text: '{{ input.note }}' } } }],
    }, { note: '{{ secrets.TOKEN }}' });
    expect(run.status).toBe('FAILED');
    expect(run.nodes[0].error.message).toMatch(/data cannot name a secret/);
    expect(fixture.requests.length).toBe(before);
  });

  it('is refused where it could leak, and unknown names fail the save, with paths', async () => {
    const refused = async (dag: unknown) => {
      const result = await ctx.graphql(CREATE, { input: { name: `refused-${randomBytes(4).toString('hex')}`, dag } });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      return result.errors![0].extensions!.issues!.map((issue: { path: string; message: string }) => `${issue.path}: ${issue.message}`);
    };
    expect(await refused({ nodes: [{ id: 'p', type: 'llm', config: { provider: 'openai', model: 'm', prompt: 'key is {{ secrets.TOKEN }}' } }] })).toEqual([
      'nodes[0].config.prompt: secrets may only be used in apiKey, baseUrl of a llm node',
    ]);
    expect(await refused({ nodes: [{ id: 's', type: 'set', config: { value: { copy: '{{ secrets.TOKEN }}' } } }] })).toEqual([
      'nodes[0].config.value.copy: a set node cannot use secrets',
    ]);
    expect(await refused({ nodes: [{ id: 'h', type: 'http', config: { url: 'https://example.com/{{ $lowercase(secrets.TOKEN) }}' } }] })).toEqual([
      'nodes[0].config.url: a secret is referenced as {{ secrets.NAME }} on its own (NAME in upper case), not inside an expression: {{ $lowercase(secrets.TOKEN) }}',
    ]);
    expect(await refused({ nodes: [{ id: 'h', type: 'http', config: { url: 'https://example.com', headers: { a: '{{ secrets.MISSING }}' } } }] })).toEqual([
      'nodes[0].config.headers.a: unknown secret "MISSING": set it with setSecret first',
    ]);
    expect(await refused({ nodes: [{ id: 'h', type: 'http', config: { url: 'https://example.com' } }], output: 'secrets.TOKEN' })).toEqual([
      'output: the output cannot read secrets',
    ]);
    expect(await ctx.db.prisma.agent.count({ where: { name: { startsWith: 'refused-' } } })).toBe(0);
  });

  it('lists the agents using it, and cannot be deleted while a live version needs it', async () => {
    await ctx.graphqlOk(SET, { input: { name: 'HOOK_TOKEN', value: 'hook-token-value' } });
    const dag = (headers: Record<string, string>) => ({ nodes: [{ id: 'h', type: 'http', config: { url: `${fixture.url}/hook`, headers } }] });
    const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: 'hook-user', dag: dag({ 'x-token': '{{ secrets.HOOK_TOKEN }}' }) } });
    const listed = await ctx.graphqlOk(`{ secrets { name agents { name } } }`);
    expect(listed.secrets.find((secret: ResponseData) => secret.name === 'HOOK_TOKEN').agents).toEqual([{ name: 'hook-user' }]);

    const blocked = await ctx.graphql(`mutation { deleteSecret(name: "HOOK_TOKEN") }`);
    expect(blocked.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(blocked.errors?.[0]?.message).toContain('"hook-user"');

    await ctx.graphqlOk(PUBLISH, { agentId: createAgent.id, dag: dag({}) });
    expect((await ctx.graphqlOk(`mutation { deleteSecret(name: "HOOK_TOKEN") }`)).deleteSecret).toBe('HOOK_TOKEN');
  });

  it("belongs to its workspace: another workspace can neither list nor reference it", async () => {
    const other = await createWorkspaceWithKey(ctx.db, 'secrets-elsewhere');
    const as = (query: string, variables?: Record<string, unknown>) => ctx.graphqlWith({ authorization: other.authorization }, query, variables);
    expect((await as(`{ secrets { name } }`)).data).toEqual({ secrets: [] });
    const result = await as(CREATE, { input: { name: 'borrower', dag: { nodes: [{ id: 'h', type: 'http', config: { url: `${fixture.url}/x`, headers: { a: '{{ secrets.TOKEN }}' } } }] } } });
    expect(result.errors?.[0]?.extensions?.issues?.[0]?.message).toBe('unknown secret "TOKEN": set it with setSecret first');
  });

  it('goes only to its allowed hosts: elsewhere the node fails before anything is sent', async () => {
    await ctx.graphqlOk(SET, { input: { name: 'PINNED', value: 'pinned-value-123', allowedHosts: ['api.example.com'] } });
    const before = fixture.requests.length;
    const run = await runAgent('pinned-elsewhere', {
      nodes: [{ id: 'send', type: 'http', config: { url: `${fixture.url}/pinned`, headers: { 'x-key': '{{ secrets.PINNED }}' } }, retry: { maximumAttempts: 3, initialInterval: '100ms' } }],
    });
    expect(run.status).toBe('FAILED');
    expect(run.nodes[0]).toMatchObject({ status: 'FAILED', attempts: 1, error: { type: 'SecretHostNotAllowed' } });
    expect(run.nodes[0].error.message).toContain('may not be sent to 127.0.0.1');
    expect(fixture.requests.length).toBe(before);
  });
});

describe('egress from a run', () => {
  it('refuses an unlisted loopback server without retrying, and audits it', async () => {
    const run = await runAgent('reaches-loopback', {
      nodes: [{ id: 'peek', type: 'http', config: { url: `${unlisted.url}/internal` }, retry: { maximumAttempts: 3, initialInterval: '100ms' } }],
    });
    expect(run.nodes[0]).toMatchObject({ status: 'FAILED', attempts: 1, error: { type: 'EgressBlocked' } });
    expect(run.nodes[0].error.message).toContain('loopback');
    expect(unlisted.requests).toHaveLength(0);
    const audit = await eventually(() => harness.db.prisma.auditEvent.findFirst({ where: { action: 'egress.blocked', targetId: run.id } }));
    expect(audit).toMatchObject({ actorType: 'SYSTEM', outcome: 'DENIED', metadata: { nodeId: 'peek', rule: 'restricted' } });
  });
});

describe('provider keys', () => {
  const llmDag = (apiKey?: string) => ({
    nodes: [{ id: 'ask', type: 'llm', config: { provider: 'openai', model: 'gpt-test', prompt: 'hi', ...(apiKey ? { apiKey } : {}) } }],
    output: 'nodes.ask.output.text',
  });

  it("the worker's own key serves the first workspace only; others bring theirs as a secret", async () => {
    llm.enqueue('openai', { text: 'from the operator key' });
    const first = await runAgent('operator-key', llmDag());
    expect(first.status).toBe('SUCCEEDED');
    expect(llm.requests.at(-1)!.headers.authorization).toBe('Bearer sk-operator');

    const other = await createWorkspaceWithKey(ctx.db, 'brings-its-key');
    const asOther = async (query: string, variables?: Record<string, unknown>) => {
      const result = await ctx.graphqlWith({ authorization: other.authorization }, query, variables);
      if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
      return result.data as ResponseData;
    };
    const keyless = await asOther(CREATE, { input: { name: 'no-key', dag: llmDag() } });
    const started = await asOther(START, { agentId: keyless.createAgent.id });
    const failed = await finished(started.startRun.id, asOther);
    expect(failed.nodes[0]).toMatchObject({ status: 'FAILED', error: { type: 'ConfigError' } });
    expect(failed.nodes[0].error.message).toContain('OPENAI_API_KEY');
    const requestsBefore = llm.requests.length;

    await asOther(SET, { input: { name: 'OPENAI_KEY', value: 'sk-tenant-own' } });
    llm.enqueue('openai', { text: 'from the tenant key' });
    const withKey = await asOther(CREATE, { input: { name: 'own-key', dag: llmDag('{{ secrets.OPENAI_KEY }}') } });
    const ok = await finished((await asOther(START, { agentId: withKey.createAgent.id })).startRun.id, asOther);
    expect(ok).toMatchObject({ status: 'SUCCEEDED', output: 'from the tenant key' });
    expect(llm.requests.length).toBe(requestsBefore + 1);
    expect(llm.requests.at(-1)!.headers.authorization).toBe('Bearer sk-tenant-own');
  });
});
