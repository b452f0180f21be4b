import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFixture, startHttpFixture } from '@trellis/test-support';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
let http: HttpFixture;
beforeAll(async () => {
  http = await startHttpFixture();
  harness = await createHarness({ egressAllow: [http.url] });
});
afterAll(async () => {
  await harness?.close();
  await http?.close();
});

const retry = { maximumAttempts: 3, initialInterval: '100ms', backoffCoefficient: 1 };

describe('http node retries', () => {
  it('retries a 503 and succeeds on the second attempt', async () => {
    http.enqueue('GET /flaky', { status: 503, body: { error: 'busy' } }, { status: 200, body: { items: [1, 2] } });
    const { runId, output, failure } = await harness.run({
      nodes: [{ id: 'fetch', type: 'http', config: { url: `${http.url}/flaky` }, retry }],
      output: 'nodes.fetch.output.body.items',
    });
    expect(failure).toBeUndefined();
    expect(output).toEqual([1, 2]);
    expect(http.count('GET /flaky')).toBe(2);
    const rows = await nodeRows(harness, runId);
    expect(rows.fetch.status).toBe('SUCCEEDED');
    expect(rows.fetch.attempts).toBe(2);
  });

  it('sends the same Idempotency-Key on every attempt when asked, and another for the saga step', async () => {
    http.enqueue('POST /charge', { status: 503 }, { status: 201, body: { id: 'ch_1' } });
    http.always('POST /fail', { status: 400 });
    const { runId, failure } = await harness.run({
      nodes: [
        {
          id: 'charge',
          type: 'http',
          config: { method: 'POST', url: `${http.url}/charge`, body: { amount: 5 }, idempotencyKey: true },
          retry,
          compensate: { type: 'http', config: { method: 'POST', url: `${http.url}/refund`, idempotencyKey: true } },
        },
        { id: 'plain', type: 'http', config: { method: 'POST', url: `${http.url}/fail` } },
      ],
      edges: [{ from: 'charge', to: 'plain' }],
    });
    expect(failure).toBeDefined();
    const keysOf = (path: string) => http.requests.filter((request) => request.path === path).map((request) => request.headers['idempotency-key']);
    expect(keysOf('/charge')).toEqual([`trellis-${runId}-charge`, `trellis-${runId}-charge`]);
    expect(keysOf('/refund')).toEqual([`trellis-${runId}-charge-compensate`]);
    expect(keysOf('/fail')).toEqual([undefined]);
  });

  it('fails the run at once on a 404, naming the node and the status', async () => {
    http.always('GET /missing', { status: 404, body: { error: 'no such thing' } });
    const { runId, failure } = await harness.run({
      nodes: [
        { id: 'fetch', type: 'http', config: { url: `${http.url}/missing` }, retry },
        { id: 'after', type: 'set', config: { value: 1 } },
      ],
      edges: [{ from: 'fetch', to: 'after' }],
    });
    expect(failure).toBeDefined();
    expect(failure!.cause?.message).toContain('node "fetch" failed');
    expect(failure!.cause?.message).toContain('404');
    expect(http.count('GET /missing')).toBe(1);

    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatchObject({ nodeId: 'fetch', type: 'HttpStatusError', attempts: 1 });
    expect((run.error as { message: string }).message).toContain('404');
    const rows = await nodeRows(harness, runId);
    expect(rows.fetch.status).toBe('FAILED');
    expect(rows.fetch.attempts).toBe(1);
    expect(rows.after.status).toBe('PENDING');
  });
});
