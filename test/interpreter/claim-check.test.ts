/**
 * Claim check: outputs larger than the threshold are stored in Postgres and only a reference travels
 * through workflow history, while expressions and downstream nodes see the full value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES } from '@trellis/db';
import { startHttpFixture, type HttpFixture } from '@trellis/test-support';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
let fixture: HttpFixture;
const big = { items: Array.from({ length: 50_000 }, (_, i) => ({ id: i, name: `item-${i}`, padding: 'x'.repeat(80) })) };
const bigText = JSON.stringify(big);

beforeAll(async () => {
  fixture = await startHttpFixture();
  harness = await createHarness({ egressAllow: [fixture.url] });
  fixture.always('GET /big', { headers: { 'content-type': 'application/json' }, body: bigText });
  fixture.always('POST /store', { body: { stored: true } });
});
afterAll(async () => {
  await harness?.close();
  await fixture?.close();
});

/** Every Temporal payload (`{ metadata, data }`) anywhere inside a history event. */
function* payloadsIn(value: unknown): Generator<{ data?: Uint8Array | null }> {
  if (value === null || typeof value !== 'object') return;
  if (value instanceof Uint8Array) return;
  const record = value as Record<string, unknown>;
  if ('metadata' in record && 'data' in record && (record.data === null || record.data instanceof Uint8Array)) {
    yield record as { data?: Uint8Array | null };
    return;
  }
  for (const child of Object.values(record)) yield* payloadsIn(child);
}

describe('claim check', () => {
  it('moves a 5 MB HTTP response through three nodes with no history payload above the threshold', async () => {
    expect(bigText.length).toBeGreaterThan(5 * 1024 * 1024);
    const { runId, output, failure } = await harness.run({
      nodes: [
        { id: 'fetch', type: 'http', config: { url: `${fixture.url}/big` } },
        { id: 'copy', type: 'set', config: { value: '{{ nodes.fetch.output.body }}' } },
        { id: 'store', type: 'http', config: { method: 'POST', url: `${fixture.url}/store`, body: '{{ nodes.copy.output }}' } },
      ],
      edges: [
        { from: 'fetch', to: 'copy' },
        { from: 'copy', to: 'store' },
      ],
      output: '{ "count": $count(nodes.copy.output.items), "last": nodes.copy.output.items[-1].name, "stored": nodes.store.output.body.stored }',
    });
    expect(failure).toBeUndefined();
    expect(output).toEqual({ count: 50_000, last: 'item-49999', stored: true });
    expect(fixture.requests.filter((request) => request.method === 'POST').at(-1)?.text).toBe(bigText);

    const rows = await nodeRows(harness, runId);
    expect(rows.copy.output).toEqual(big);

    const history = await harness.client.workflow.getHandle(runId).fetchHistory();
    let largest = 0;
    let count = 0;
    for (const event of history.events ?? []) {
      for (const payload of payloadsIn(event)) {
        count += 1;
        largest = Math.max(largest, payload.data?.length ?? 0);
      }
    }
    expect(count).toBeGreaterThan(5);
    expect(largest).toBeLessThanOrEqual(DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES);
    expect(await harness.db.prisma.payload.count()).toBeGreaterThan(0);
  });
});
