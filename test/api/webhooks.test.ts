/**
 * `POST /hooks/:agentId` and `rotateWebhookSecret` against the real API, worker, Temporal and Postgres.
 * Signatures are computed here from the documented scheme (HMAC-SHA256 over `<timestamp>.<raw body>`),
 * not with the API's own helper.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort } from '@trellis/test-support';
import { createHarness, type Harness, TEST_SECRET_KEY } from '@trellis/test-support/worker';
import { type ApiTestContext, startTestApi } from './support/api-test-context.js';

const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const ROTATE = `mutation ($agentId: ID!) { rotateWebhookSecret(agentId: $agentId) }`;
const MIB = 1024 * 1024;

/** Doubles `amount`; the schema makes `{ amount: "five" }` fail. */
const doubler = {
  inputSchema: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] },
  nodes: [{ id: 'double', type: 'set', config: { value: { doubled: '{{ input.amount * 2 }}' } } }],
  output: 'nodes.double.output',
};

let harness: Harness;
let ctx: ApiTestContext;
const secretKey = TEST_SECRET_KEY;

beforeAll(async () => {
  harness = await createHarness();
  ctx = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue, secretKey });
});
afterAll(async () => {
  const runs = await harness?.db.prisma.run.findMany({ where: { status: { in: ['RUNNING', 'WAITING'] } } });
  await Promise.allSettled((runs ?? []).map((run) => harness.client.workflow.getHandle(run.id).terminate('test finished')));
  await ctx?.close();
  await harness?.close();
});

async function createAgent(dag: unknown = doubler): Promise<string> {
  const { createAgent: agent } = await ctx.graphqlOk(CREATE, { input: { name: `hook-${randomUUID()}`, dag } });
  return agent.id as string;
}

async function rotate(agentId: string): Promise<string> {
  return (await ctx.graphqlOk(ROTATE, { agentId })).rotateWebhookSecret as string;
}

function sign(secret: string, timestamp: number | string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

interface HookResponse {
  status: number;
  contentType: string | null;
  json: any;
}

/** POSTs `body` to the agent's hook, signed with `secret` unless `headers` say otherwise. */
async function post(
  agentId: string,
  body: string | Buffer,
  options: { secret?: string; timestamp?: number; query?: string; headers?: Record<string, string> } = {},
): Promise<HookResponse> {
  const timestamp = options.timestamp ?? nowSeconds();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.secret !== undefined) {
    headers['x-trellis-timestamp'] = String(timestamp);
    headers['x-trellis-signature'] = sign(options.secret, timestamp, body);
  }
  const response = await fetch(`${ctx.api.url}/hooks/${agentId}${options.query ?? ''}`, {
    method: 'POST',
    headers: { ...headers, ...options.headers },
    body: new Uint8Array(typeof body === 'string' ? Buffer.from(body) : body),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), json: text ? JSON.parse(text) : null };
}

/** Runs in the database: a start always inserts the run's row first. */
function runCount(): Promise<number> {
  return harness.db.prisma.run.count();
}

/** Ids of the workflows Temporal lists on this file's task queue (the API starts runs there). */
async function workflowIdsOnTaskQueue(): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const workflow of harness.client.workflow.list({ query: `TaskQueue = "${harness.taskQueue}"` })) {
    ids.add(workflow.workflowId);
  }
  return ids;
}

/** Asserts the documented error shape and that no run was started. */
async function expectRefused(
  call: () => Promise<HookResponse>,
  status: number,
  code: string,
): Promise<HookResponse> {
  const before = await runCount();
  const response = await call();
  expect(response.status).toBe(status);
  expect(response.contentType).toMatch(/^application\/json/);
  expect(response.json).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
  expect(response.json.error.message.length).toBeGreaterThan(0);
  expect(await runCount()).toBe(before);
  return response;
}

describe('POST /hooks/:agentId', () => {
  it('starts a run with trigger WEBHOOK and the body as input, answering 202 { runId }', async () => {
    const agentId = await createAgent();
    const secret = await rotate(agentId);
    const body = JSON.stringify({ amount: 21 });

    const response = await post(agentId, body, { secret });
    expect(response.status).toBe(202);
    expect(response.json).toEqual({ runId: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: response.json.runId } });
    expect(run).toMatchObject({ agentId, trigger: 'WEBHOOK', input: { amount: 21 } });
    const finished = await eventually(async () => {
      const current = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: run.id } });
      return current.status === 'SUCCEEDED' && current;
    });
    expect(finished.output).toEqual({ doubled: 42 });
  });

  it('with ?wait=10 answers 200 with the output of a run that finishes in time', async () => {
    const agentId = await createAgent();
    const secret = await rotate(agentId);
    const response = await post(agentId, JSON.stringify({ amount: 4 }), { secret, query: '?wait=10' });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ runId: expect.any(String), status: 'SUCCEEDED', output: { doubled: 8 } });
    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: response.json.runId } });
    expect(run).toMatchObject({ trigger: 'WEBHOOK', status: 'SUCCEEDED' });
  });

  it('with ?wait answers 200 with the error of a run that fails in time', async () => {
    const port = await freePort();
    const agentId = await createAgent({
      nodes: [
        {
          id: 'call',
          type: 'http',
          config: { method: 'GET', url: `http://127.0.0.1:${port}/down` },
          retry: { maximumAttempts: 1 },
        },
      ],
    });
    const secret = await rotate(agentId);
    const response = await post(agentId, '{}', { secret, query: '?wait=20' });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ runId: expect.any(String), status: 'FAILED', error: { nodeId: 'call' } });
    expect(response.json.error.message).toEqual(expect.any(String));
  });

  it('with ?wait answers 202 when the run is still going when the wait ends', async () => {
    const agentId = await createAgent({ nodes: [{ id: 'gate', type: 'approval', config: { message: 'Go?' } }] });
    const secret = await rotate(agentId);
    const startedAt = Date.now();
    const response = await post(agentId, '{}', { secret, query: '?wait=1' });
    const elapsedMs = Date.now() - startedAt;
    expect(response.status).toBe(202);
    expect(response.json).toEqual({ runId: expect.any(String) });
    expect(elapsedMs).toBeGreaterThanOrEqual(900);
    expect(elapsedMs).toBeLessThan(8_000);
    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: response.json.runId } });
    expect(['RUNNING', 'WAITING']).toContain(run.status);
  });

  it('dedupes calls with the same Idempotency-Key: one run, the same runId', async () => {
    const agentId = await createAgent();
    const secret = await rotate(agentId);
    const headers = { 'idempotency-key': `order-${randomUUID()}` };
    const first = await post(agentId, JSON.stringify({ amount: 1 }), { secret, headers });
    const second = await post(agentId, JSON.stringify({ amount: 1 }), { secret, headers });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.json.runId).toBe(first.json.runId);
    expect(await harness.db.prisma.run.count({ where: { agentId } })).toBe(1);

    const other = await post(agentId, JSON.stringify({ amount: 1 }), { secret, headers: { 'idempotency-key': 'another' } });
    expect(other.json.runId).not.toBe(first.json.runId);
    expect(await harness.db.prisma.run.count({ where: { agentId } })).toBe(2);
  });

  it('accepts a body of exactly 1 MiB', async () => {
    const agentId = await createAgent({ nodes: [{ id: 'ok', type: 'set', config: { value: true } }] });
    const secret = await rotate(agentId);
    const prefix = '{"pad":"';
    const body = `${prefix}${'x'.repeat(MIB - prefix.length - 2)}"}`;
    expect(Buffer.byteLength(body)).toBe(MIB);
    const response = await post(agentId, body, { secret, query: '?wait=20' });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ status: 'SUCCEEDED', output: { ok: true } });
  });
});

describe('POST /hooks/:agentId refusals (nothing is started)', () => {
  let agentId: string;
  let secret: string;
  beforeAll(async () => {
    agentId = await createAgent();
    secret = await rotate(agentId);
  });
  const valid = JSON.stringify({ amount: 3 });

  it('401 without signature headers', async () => {
    await expectRefused(() => post(agentId, valid), 401, 'UNAUTHORIZED');
    await expectRefused(
      () => post(agentId, valid, { headers: { 'x-trellis-signature': sign(secret, nowSeconds(), valid) } }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('401 for a wrong signature: another secret, another body, or a malformed header', async () => {
    await expectRefused(() => post(agentId, valid, { secret: `${secret}x` }), 401, 'UNAUTHORIZED');
    const timestamp = nowSeconds();
    await expectRefused(
      () =>
        post(agentId, valid, {
          headers: {
            'x-trellis-timestamp': String(timestamp),
            'x-trellis-signature': sign(secret, timestamp, JSON.stringify({ amount: 4 })),
          },
        }),
      401,
      'UNAUTHORIZED',
    );
    await expectRefused(
      () =>
        post(agentId, valid, {
          headers: { 'x-trellis-timestamp': String(timestamp), 'x-trellis-signature': 'sha256=abc' },
        }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('401 for a timestamp more than 5 minutes old or too far in the future, even when correctly signed', async () => {
    const stale = await expectRefused(
      () => post(agentId, valid, { secret, timestamp: nowSeconds() - 5 * 60 - 5 }),
      401,
      'UNAUTHORIZED',
    );
    expect(stale.json.error.message).toMatch(/old/);
    await expectRefused(() => post(agentId, valid, { secret, timestamp: nowSeconds() + 10 * 60 }), 401, 'UNAUTHORIZED');
    // Just inside the window is accepted.
    expect((await post(agentId, valid, { secret, timestamp: nowSeconds() - 4 * 60 })).status).toBe(202);
  });

  it('401 when the agent has no secret yet', async () => {
    const bare = await createAgent();
    const response = await expectRefused(() => post(bare, valid, { secret: 'whsec_guess' }), 401, 'UNAUTHORIZED');
    expect(response.json.error.message).toMatch(/rotateWebhookSecret/);
  });

  it('404 for an unknown agent or an id that is not a UUID', async () => {
    await expectRefused(() => post(randomUUID(), valid, { secret }), 404, 'NOT_FOUND');
    await expectRefused(() => post('not-an-id', valid, { secret }), 404, 'NOT_FOUND');
  });

  it('413 for a body over 1 MiB with a Content-Length, before reading it', async () => {
    const body = Buffer.alloc(MIB + 1, 0x20);
    await expectRefused(() => post(agentId, body, { secret }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('413 for a chunked body that grows past 1 MiB', async () => {
    const before = await runCount();
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(`/hooks/${agentId}`, ctx.api.url);
      const request = httpRequest(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        // Keeps writing well past the limit; the server answers without waiting for the end.
        while (sent < 4 * MIB) {
          sent += chunk.length;
          if (!request.write(chunk)) {
            request.once('drain', pump);
            return;
          }
        }
        request.end();
      };
      pump();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    expect(await runCount()).toBe(before);
  });

  it('422 with issues for input that fails the inputSchema', async () => {
    const response = await expectRefused(
      () => post(agentId, JSON.stringify({ amount: 'five' }), { secret }),
      422,
      'INVALID_INPUT',
    );
    expect(response.json.error.issues).toEqual([{ path: 'input.amount', message: expect.any(String) }]);
  });

  it('400 for a body that is not JSON, a bad ?wait or a blank Idempotency-Key', async () => {
    await expectRefused(() => post(agentId, '{"amount":', { secret }), 400, 'INVALID_JSON');
    await expectRefused(() => post(agentId, valid, { secret, query: '?wait=61' }), 400, 'BAD_REQUEST');
    await expectRefused(() => post(agentId, valid, { secret, query: '?wait=soon' }), 400, 'BAD_REQUEST');
    await expectRefused(() => post(agentId, valid, { secret, headers: { 'idempotency-key': ' ' } }), 400, 'BAD_REQUEST');
  });

  // Declared last: tests of a file run in order, so every refusal above has happened by now.
  it('no refused call started a workflow: every workflow on the task queue belongs to a run row', async () => {
    const runIds = new Set((await harness.db.prisma.run.findMany({ select: { id: true } })).map((run) => run.id));
    expect(runIds.size).toBeGreaterThan(0);
    // Visibility trails starts slightly: wait until every run's workflow is listed, then look for strays.
    const listed = await eventually(async () => {
      const ids = await workflowIdsOnTaskQueue();
      return [...runIds].every((id) => ids.has(id)) && ids;
    });
    expect([...listed].filter((id) => !runIds.has(id))).toEqual([]);
  });
});

describe('rotateWebhookSecret', () => {
  it('returns a new secret each time and the previous one stops working', async () => {
    const agentId = await createAgent();
    const first = await rotate(agentId);
    const second = await rotate(agentId);
    expect(first).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(second).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);

    const body = JSON.stringify({ amount: 2 });
    await expectRefused(() => post(agentId, body, { secret: first }), 401, 'UNAUTHORIZED');
    expect((await post(agentId, body, { secret: second })).status).toBe(202);
  });

  it('stores the secret encrypted, shows only when it was rotated, and needs the same TRELLIS_SECRET_KEY', async () => {
    const agentId = await createAgent();
    const before = new Date();
    const secret = await rotate(agentId);
    const row = await harness.db.prisma.agent.findUniqueOrThrow({ where: { id: agentId } });
    expect(row.webhookSecret).not.toBeNull();
    expect(row.webhookSecret).not.toContain(secret);
    expect(row.webhookSecret).not.toContain(secret.slice('whsec_'.length, 20));
    expect(row.webhookSecret).toMatch(/^v1:/);
    expect(row.webhookSecretRotatedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);

    const { agent } = await ctx.graphqlOk(`query ($id: ID!) { agent(id: $id) { webhookSecretRotatedAt } }`, { id: agentId });
    expect(new Date(agent.webhookSecretRotatedAt).getTime()).toBe(row.webhookSecretRotatedAt!.getTime());

    // Another API over the same database with another key cannot decrypt it: signed calls are refused.
    const otherKey = await startTestApi({
      db: harness.db,
      temporalAddress: harness.temporalAddress,
      taskQueue: harness.taskQueue,
      secretKey: randomBytes(32).toString('hex'),
    });
    try {
      const body = JSON.stringify({ amount: 1 });
      const timestamp = nowSeconds();
      const response = await fetch(`${otherKey.api.url}/hooks/${agentId}`, {
        method: 'POST',
        headers: { 'x-trellis-timestamp': String(timestamp), 'x-trellis-signature': sign(secret, timestamp, body) },
        body,
      });
      expect(response.status).toBe(401);
    } finally {
      await otherKey.close();
    }
    expect((await post(agentId, JSON.stringify({ amount: 1 }), { secret })).status).toBe(202);
  });

  it('is NOT_FOUND for an unknown agent and BAD_USER_INPUT for a malformed id', async () => {
    const unknown = await ctx.graphql(ROTATE, { agentId: randomUUID() });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await ctx.graphql(ROTATE, { agentId: 'nope' });
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
