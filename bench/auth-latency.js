// @ts-check
/**
 * What authentication adds to `startRun`: p50 and p99 latency (ms) of N sequential `startRun` calls
 * against one stack (Postgres, Temporal dev server, worker), through three API processes on the same
 * database that differ only in how a request is authenticated:
 * - baseline: an API key, per-principal rate limit off (the key lookup only);
 * - key + rate limit: the same key, with the Postgres-backed per-principal limit on (the default);
 * - session + rate limit: a browser session cookie instead of the key.
 * Prints each row and its ratio to the baseline measured in the same run. Traffic goes to 127.0.0.1 only.
 *
 * Usage: npm run auth-latency -w bench [-- <N, default 300>]
 */
import { randomBytes } from 'node:crypto';
import { createApi } from '@trellis/api';
import { createTestDatabase } from '@trellis/test-support/database';
import { startStack } from '../scripts/stack.js';

const samples = Number(process.argv[2] ?? 300);
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
process.env.PORT = '0';
process.env.TRELLIS_DATA_DIR ??= `/tmp/trellis-bench-${randomBytes(4).toString('hex')}`;
const stack = await startStack();
const unlimitedStarts = { plain: 1e9, fewAgents: 1e9, manyAgents: 1e9 };
const apiOptions = { databaseUrl: database.url, temporalAddress: stack.temporalAddress, bootstrapApiKey: stack.apiKey, secretKey: process.env.TRELLIS_SECRET_KEY, port: 0 };
const withoutLimit = await createApi({ ...apiOptions, limits: { requestsPerMinute: 0, runStartsPerMinute: unlimitedStarts } });
const withLimit = await createApi({ ...apiOptions, limits: { requestsPerMinute: 1e9, runStartsPerMinute: unlimitedStarts } });

/** POSTs one GraphQL operation; fails on errors. */
async function call(/** @type {string} */ url, /** @type {Record<string, string>} */ headers, /** @type {string} */ query, variables = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = /** @type {any} */ (await response.json());
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { body, response };
}

const key = { authorization: `Bearer ${stack.apiKey}` };
const { body: created } = await call(withoutLimit.graphqlUrl, key, `mutation { createAgent(input: { name: "bench", dag: { nodes: [{ id: "a", type: "set", config: { value: 1 } }] } }) { id } }`);
const agentId = created.data.createAgent.id;
const password = randomBytes(12).toString('base64url');
const { body: invited } = await call(withoutLimit.graphqlUrl, key, `mutation { inviteMember(email: "bench@trellis.local", role: OPERATOR) { token } }`);
const { response: accepted } = await call(withoutLimit.graphqlUrl, {}, `mutation ($token: String!, $password: String) { acceptInvitation(token: $token, password: $password) { user { id } } }`, {
  token: invited.data.inviteMember.token,
  password,
});
const cookie = { cookie: accepted.headers.getSetCookie()[0].split(';')[0] };

/** Latencies (ms) of `samples` sequential startRun calls, after 20 warm-up calls. */
async function measure(/** @type {string} */ url, /** @type {Record<string, string>} */ headers) {
  const start = `mutation ($id: ID!) { startRun(agentId: $id) { id } }`;
  for (let index = 0; index < 20; index += 1) await call(url, headers, start, { id: agentId });
  const latencies = [];
  for (let index = 0; index < samples; index += 1) {
    const begun = performance.now();
    await call(url, headers, start, { id: agentId });
    latencies.push(performance.now() - begun);
  }
  latencies.sort((a, b) => a - b);
  const at = (/** @type {number} */ quantile) => latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

const rows = [
  ['baseline: API key, no rate limit', await measure(withoutLimit.graphqlUrl, key)],
  ['API key + rate limit', await measure(withLimit.graphqlUrl, key)],
  ['session cookie + rate limit', await measure(withLimit.graphqlUrl, cookie)],
];
const [, baseline] = /** @type {[string, { p50: number, p99: number }]} */ (rows[0]);
process.stdout.write(`\nstartRun latency over ${samples} sequential calls (ms)\n`);
for (const [name, figures] of /** @type {[string, { p50: number, p99: number }][]} */ (rows)) {
  process.stdout.write(
    `${name.padEnd(36)} p50 ${figures.p50.toFixed(2).padStart(7)}  p99 ${figures.p99.toFixed(2).padStart(7)}  ` +
      `(x${(figures.p50 / baseline.p50).toFixed(2)} p50, x${(figures.p99 / baseline.p99).toFixed(2)} p99)\n`,
  );
}
await withLimit.close();
await withoutLimit.close();
await stack.stop();
await database.drop();
process.exit(0);
