/**
 * Encrypted payloads on real Temporal: a run's history holds no plaintext of its input, its output or a
 * failure message, while the API reads the run as usual; the codec endpoint decodes those payloads for an
 * ADMIN (and encodes them back), refuses anyone else, and answers CORS for the Temporal UI's origin only.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type HttpFixture, startHttpFixture } from '@trellis/test-support';
import type { Payload } from '@temporalio/common';
import { createHarness, type Harness, storedHistory } from '@trellis/test-support/worker';
import { type ApiTestContext, type ResponseData, startTestApi, TEST_AUTHORIZATION } from './support/api-test-context.js';

const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const START = `mutation ($agentId: ID!, $input: JSON) { startRun(agentId: $agentId, input: $input) { id } }`;
const RUN = `query ($id: ID!) { run(id: $id) { status output nodes { nodeId status error { message } } } }`;
const TEMPORAL_UI = 'http://temporal-ui.test:8080';

let http: HttpFixture;
let harness: Harness;
let ctx: ApiTestContext;
beforeAll(async () => {
  http = await startHttpFixture();
  harness = await createHarness({ egressAllow: [http.url] });
  ctx = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue, temporalUiUrl: TEMPORAL_UI });
});
afterAll(async () => {
  await ctx?.close();
  await harness?.close();
  await http?.close();
});

async function finishedRun(name: string, dag: unknown, input: unknown): Promise<{ id: string; run: ResponseData }> {
  const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name, dag } });
  const { startRun } = await ctx.graphqlOk(START, { agentId: createAgent.id, input });
  const run = await eventually(async () => {
    const { run } = await ctx.graphqlOk(RUN, { id: startRun.id });
    return ['SUCCEEDED', 'FAILED'].includes(run.status) && run;
  }, 30_000);
  return { id: startRun.id, run };
}

/**
 * What Temporal keeps readable by design: search attributes (the server indexes them; Trellis's hold the
 * workspace id) and the SDK's own marker metadata (patch ids, local activity bookkeeping).
 */
const READABLE_BY_DESIGN = /\.searchAttributes\.|\.markerRecordedEventAttributes\.details\.(patch-data|data)\./;

/** A payload in the codec protocol's JSON form. */
interface PayloadJson {
  metadata: Record<string, string>;
  data: string;
}

function toJson(payload: Payload): PayloadJson {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, bytes]) => [key, Buffer.from(bytes ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

function codec(path: 'decode' | 'encode', body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${ctx.api.url}/codec/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

const decodedText = (body: { payloads: { data: string }[] }) => body.payloads.map((payload) => Buffer.from(payload.data, 'base64').toString('utf8')).join('\n');

describe('payload encryption', () => {
  const marker = `confidential-${randomBytes(8).toString('hex')}`;
  let runId: string;
  let payloads: PayloadJson[];

  it('keeps the input, the output and failure messages out of the history in plaintext', async () => {
    const succeeded = await finishedRun('encrypted-run', { nodes: [{ id: 'echo', type: 'set', config: { value: { said: '{{ input.secret }}', twice: '{{ input.secret & input.secret }}' } } }], output: 'nodes.echo.output' }, { secret: marker });
    expect(succeeded.run).toMatchObject({ status: 'SUCCEEDED', output: { said: marker, twice: `${marker}${marker}` } });
    const history = await storedHistory(harness.client, succeeded.id);
    expect(history.text).not.toContain(marker);
    const encodings = history.payloads
      .filter(({ path }) => !READABLE_BY_DESIGN.test(path))
      .map(({ path, payload }) => [path, Buffer.from(payload.metadata?.encoding ?? new Uint8Array()).toString()]);
    expect(encodings.length).toBeGreaterThan(3);
    expect(encodings.filter(([, encoding]) => encoding !== 'binary/encrypted')).toEqual([]);
    runId = succeeded.id;
    payloads = history.payloads.map(({ payload }) => toJson(payload));

    http.always(`GET /${marker}`, { status: 400, body: { error: 'no' } });
    const failed = await finishedRun('encrypted-failure', { nodes: [{ id: 'call', type: 'http', config: { url: `${http.url}/{{ input.path }}` } }] }, { path: marker });
    expect(failed.run.status).toBe('FAILED');
    expect(failed.run.nodes[0].error.message).toContain(`/${marker}`);
    expect((await storedHistory(harness.client, failed.id)).text).not.toContain(marker);
  });

  it('is decoded by the codec endpoint for an ADMIN, and encoded back', async () => {
    const response = await codec('decode', { payloads }, { authorization: TEST_AUTHORIZATION, 'x-namespace': 'default' });
    expect(response.status, await response.clone().text()).toBe(200);
    const decoded = (await response.json()) as { payloads: PayloadJson[] };
    expect(decodedText(decoded)).toContain(marker);

    const encoded = await codec('encode', decoded, { authorization: TEST_AUTHORIZATION });
    expect(encoded.status).toBe(200);
    const sealed = (await encoded.json()) as { payloads: { data: string }[] };
    expect(decodedText(sealed)).not.toContain(marker);
    const again = await codec('decode', sealed, { authorization: TEST_AUTHORIZATION });
    expect(decodedText((await again.json()) as { payloads: { data: string }[] })).toContain(marker);
    expect(runId).toBeDefined();
  });

  it('refuses callers without credentials and roles below ADMIN, and malformed bodies', async () => {
    expect((await codec('decode', { payloads })).status).toBe(401);
    const { createApiKey } = await ctx.graphqlOk(`mutation { createApiKey(input: { name: "codec editor", role: EDITOR }) { key } }`);
    const refused = await codec('decode', { payloads }, { authorization: `Bearer ${createApiKey.key}` });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await refused.json())).not.toContain(marker);
    const malformed = await codec('decode', { payloads: 'nope' }, { authorization: TEST_AUTHORIZATION });
    expect(malformed.status).toBe(400);
  });

  it("answers CORS for the Temporal UI's origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${ctx.api.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const allowed = await preflight(TEMPORAL_UI);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(TEMPORAL_UI);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const other = await preflight('https://evil.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const fromUi = await codec('decode', { payloads }, { authorization: TEST_AUTHORIZATION, origin: TEMPORAL_UI });
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(TEMPORAL_UI);
  });
});
