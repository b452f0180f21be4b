// @ts-check
/**
 * What the secrets and egress defences cost per request, p50 and p99 (µs) of N sequential operations, each
 * against a baseline measured in the same run:
 * - payload encryption: encode + decode of a Temporal payload (1 KiB and 64 KiB of JSON) through the AES-256-GCM
 *   codec, against the same payload converted without a codec;
 * - egress: one GET to a local server through `request` and a fresh outbound session (as each activity attempt
 *   opens one: resolve, check, connect to the checked address), against undici's `fetch` on a fresh agent (a new
 *   connection too, no checks) and on a kept-alive agent;
 * - redaction: scrubbing a 16 KiB response of one secret in its four forms.
 * Traffic goes to 127.0.0.1 only.
 *
 * Usage: npm run secrets-egress -w bench [-- <N, default 2000>]
 */
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { defaultPayloadConverter } from '@temporalio/common';
import { Agent, fetch } from 'undici';
import { createOutbound, readEgressPolicy, redactorOf, request } from '@trellis/connectors';
import { createEncryptionCodec, readPayloadKeys } from '@trellis/db';

const samples = Number(process.argv[2] ?? 2000);

/** Runs `operation` `samples` times (after a warm-up) and returns p50 and p99 in µs. */
async function measure(/** @type {() => Promise<unknown> | unknown} */ operation) {
  for (let i = 0; i < Math.min(200, samples); i++) await operation();
  const times = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await operation();
    times.push((performance.now() - start) * 1000);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] };
}

/** @type {[string, { p50: number, p99: number }, { p50: number, p99: number } | undefined][]} */
const rows = [];
const row = (/** @type {string} */ name, /** @type {{ p50: number, p99: number }} */ figures, /** @type {{ p50: number, p99: number } | undefined} */ baseline) =>
  rows.push([name, figures, baseline]);

const codec = createEncryptionCodec(/** @type {NonNullable<ReturnType<typeof readPayloadKeys>>} */ (readPayloadKeys({ TRELLIS_SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789' })));
for (const size of [1024, 65_536]) {
  const value = { items: 'x'.repeat(size) };
  const plain = await measure(() => defaultPayloadConverter.fromPayload(defaultPayloadConverter.toPayload(value)));
  const sealed = await measure(async () => {
    const [payload] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
    return defaultPayloadConverter.fromPayload((await codec.decode([payload]))[0]);
  });
  row(`payload ${size / 1024} KiB, no codec (baseline)`, plain, undefined);
  row(`payload ${size / 1024} KiB, encrypted and decrypted`, sealed, plain);
}

const body = JSON.stringify({ ok: true, echo: 'y'.repeat(256) });
const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
const url = `http://127.0.0.1:${port}/item`;
const outbound = createOutbound(readEgressPolicy({ TRELLIS_EGRESS_ALLOW: `127.0.0.1:${port}` }));
const keptAlive = new Agent();
const keptAliveGet = await measure(async () => (await fetch(url, { dispatcher: keptAlive })).text());
const freshGet = await measure(async () => {
  const agent = new Agent();
  try {
    return await (await fetch(url, { dispatcher: agent })).text();
  } finally {
    await agent.close();
  }
});
const guardedGet = await measure(async () => {
  const session = outbound.open([{ name: 'TOKEN', value: 'tok_123', allowedHosts: [`127.0.0.1:${port}`] }]);
  try {
    return await request({ url, headers: { authorization: 'Bearer tok_123' } }, session);
  } finally {
    await session.close();
  }
});
row('GET, undici fetch, kept-alive connection', keptAliveGet, undefined);
row('GET, undici fetch, new connection (baseline)', freshGet, undefined);
row('GET through request() and an outbound session', guardedGet, freshGet);
await keptAlive.close();
server.close();

const secret = 'sk_live_0123456789abcdef';
const response = { body: `${'z'.repeat(16_384)} ${secret} ${Buffer.from(secret).toString('base64')}` };
const untouched = await measure(() => structuredClone(response));
const redactor = redactorOf([{ name: 'KEY', value: secret, allowedHosts: [] }]);
row('16 KiB output deep-copied (baseline)', untouched, undefined);
row('16 KiB output redacted of one secret', await measure(() => redactor.value(response)), untouched);

process.stdout.write(`secrets and egress, ${samples} samples each (µs)\n`);
for (const [name, figures, baseline] of rows) {
  const ratio = baseline ? `  ×${(figures.p50 / baseline.p50).toFixed(2)} p50 (+${(figures.p50 - baseline.p50).toFixed(1)} µs)` : '';
  process.stdout.write(`${name.padEnd(52)} p50 ${figures.p50.toFixed(1).padStart(8)}  p99 ${figures.p99.toFixed(1).padStart(8)}${ratio}\n`);
}
