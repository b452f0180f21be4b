/**
 * A worker killed with SIGKILL in the middle of a long `http` request: the attempt stops heartbeating, so
 * Temporal retries it on another worker after the heartbeat timeout (default 15 s), not after the node's
 * 5-minute start-to-close timeout; both attempts carry the same `Idempotency-Key`, so the receiver can tell
 * the retry from a new request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type HttpFixture, startHttpFixture } from '@trellis/test-support';
import { createHarness, type Harness, nodeRows, spawnWorkerProcess, withEgressAllowed } from '@trellis/test-support/worker';

let harness: Harness;
let http: HttpFixture;
let holdFirst = true;
beforeAll(async () => {
  http = await startHttpFixture({
    // The first attempt is never answered: its worker dies with the request in flight.
    fallback: () => (holdFirst ? ((holdFirst = false), new Promise<never>(() => {})) : { body: { done: true } }),
  });
  harness = await createHarness({ egressAllow: [http.url] });
  await harness.worker.stop();
});
afterAll(async () => {
  await harness?.close();
  await http?.close();
});

describe('heartbeats', () => {
  it('retry a long request on another worker within 30 s of its worker dying, with the same Idempotency-Key', async () => {
    const dag = {
      nodes: [{ id: 'export', type: 'http', config: { method: 'POST', url: `${http.url}/export`, body: { all: true }, idempotencyKey: true }, retry: { initialInterval: '100ms' } }],
      output: 'nodes.export.output.body',
    };
    const doomed = spawnWorkerProcess(harness, withEgressAllowed({}, [http.url]));
    const { runId, result } = await harness.start(dag);
    await eventually(() => http.requests.length === 1, 30_000);
    const exited = new Promise((resolve) => doomed.once('exit', resolve));
    doomed.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    const survivor = await harness.startWorker();
    try {
      await eventually(() => http.requests.length === 2, 30_000);
      const retriedAfterMs = Date.now() - killedAt;
      expect((await result).output).toEqual({ done: true });
      // Well before the 5-minute start-to-close timeout that bounded it without heartbeats.
      expect(retriedAfterMs).toBeLessThan(30_000);
      const [first, second] = http.requests;
      expect(first.headers['idempotency-key']).toBe(`trellis-${runId}-export`);
      expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
      expect((await nodeRows(harness, runId)).export).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    } finally {
      await survivor.stop();
    }
  }, 90_000);
});
