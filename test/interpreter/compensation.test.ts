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

describe('compensation (saga)', () => {
  it('undoes the succeeded nodes in reverse completion order when the run fails, with retries, visible in run.nodes', async () => {
    http.always('POST /flight', { body: { booking: 'F1' } });
    http.always('POST /hotel', { body: { booking: 'H7' } });
    http.always('POST /car', { status: 400, body: { error: 'no cars' } });
    // The hotel cancellation fails once (503, retried) and then succeeds.
    http.enqueue('DELETE /hotel/H7', { status: 503 }, { status: 200, body: { cancelled: 'H7' } });
    http.always('DELETE /flight/F1', { body: { cancelled: 'F1' } });

    const dag = {
      nodes: [
        {
          id: 'flight',
          type: 'http',
          config: { method: 'POST', url: `${http.url}/flight` },
          compensate: { type: 'http', config: { method: 'DELETE', url: `${http.url}/flight/{{ nodes.flight.output.body.booking }}` } },
        },
        {
          id: 'hotel',
          type: 'http',
          config: { method: 'POST', url: `${http.url}/hotel` },
          compensate: {
            type: 'http',
            config: { method: 'DELETE', url: `${http.url}/hotel/{{ nodes.hotel.output.body.booking }}` },
            retry: { maximumAttempts: 3, initialInterval: '100ms' },
          },
        },
        { id: 'note', type: 'set', config: { value: 'no compensation needed' } },
        { id: 'car', type: 'http', config: { method: 'POST', url: `${http.url}/car` }, retry: { maximumAttempts: 1 } },
      ],
      edges: [
        { from: 'flight', to: 'hotel' },
        { from: 'hotel', to: 'note' },
        { from: 'note', to: 'car' },
      ],
    };
    const { runId, failure } = await harness.run(dag);
    expect(failure?.cause?.message).toMatch(/node "car" failed/);

    const undo = http.requests.filter((request) => request.method === 'DELETE').map((request) => request.path);
    expect(undo).toEqual(['/hotel/H7', '/hotel/H7', '/flight/F1']);

    const rows = await nodeRows(harness, runId);
    expect(rows.hotel.compensation).toMatchObject({ status: 'SUCCEEDED', attempts: 2, output: { body: { cancelled: 'H7' } } });
    expect(rows.flight.compensation).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(rows.note.compensation).toBeNull();
    expect(rows.car.compensation).toBeNull();
    const hotelDone = Date.parse((rows.hotel.compensation as { finishedAt: string }).finishedAt);
    const flightStarted = Date.parse((rows.flight.compensation as { startedAt: string }).startedAt);
    expect(flightStarted).toBeGreaterThanOrEqual(hotelDone);
    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('FAILED');
  });

  it('records a compensation that keeps failing and still runs the earlier ones', async () => {
    http.always('POST /a', { body: {} });
    http.always('POST /b', { body: {} });
    http.always('DELETE /b', { status: 400, body: { error: 'cannot undo' } });
    http.always('DELETE /a', { body: { undone: 'a' } });
    http.always('POST /c', { status: 400 });
    const { runId } = await harness.run({
      nodes: [
        { id: 'a', type: 'http', config: { method: 'POST', url: `${http.url}/a` }, compensate: { type: 'http', config: { method: 'DELETE', url: `${http.url}/a` } } },
        { id: 'b', type: 'http', config: { method: 'POST', url: `${http.url}/b` }, compensate: { type: 'http', config: { method: 'DELETE', url: `${http.url}/b` } } },
        { id: 'c', type: 'http', config: { method: 'POST', url: `${http.url}/c` }, retry: { maximumAttempts: 1 } },
      ],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
      ],
    });
    const rows = await nodeRows(harness, runId);
    expect(rows.b.compensation).toMatchObject({ status: 'FAILED', error: { type: 'HttpStatusError' } });
    expect(rows.a.compensation).toMatchObject({ status: 'SUCCEEDED', output: { body: { undone: 'a' } } });
  });
});
