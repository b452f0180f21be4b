import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFixture, startHttpFixture } from '@trellis/test-support';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
let http: HttpFixture;
beforeAll(async () => {
  http = await startHttpFixture();
  harness = await createHarness({ egressAllow: [http.url] });
  http.always('GET /broken', { status: 400, body: { error: 'bad request' } });
  http.always('GET /ok', { body: { fine: true } });
});
afterAll(async () => {
  await harness?.close();
  await http?.close();
});

const broken = (onError?: string) => ({
  id: 'call',
  type: 'http',
  config: { url: `${http.url}/broken` },
  retry: { maximumAttempts: 1 },
  ...(onError ? { onError } : {}),
});

describe('onError', () => {
  it('"fail" (the default) fails the run at the node', async () => {
    const { runId, failure } = await harness.run({
      nodes: [broken(), { id: 'after', type: 'set', config: { value: 1 } }],
      edges: [{ from: 'call', to: 'after' }],
    });
    expect(failure?.cause?.message).toMatch(/node "call" failed: .*400/);
    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('FAILED');
    expect((await nodeRows(harness, runId)).after.status).toBe('PENDING');
  });

  it('"continue" marks the node FAILED with a null output and the run goes on', async () => {
    const { runId, output, failure } = await harness.run({
      nodes: [broken('continue'), { id: 'after', type: 'set', config: { value: { seen: '{{ nodes.call.output }}', status: '{{ nodes.call.status }}' } } }],
      edges: [{ from: 'call', to: 'after' }],
    });
    expect(failure).toBeUndefined();
    expect(output).toEqual({ after: { seen: null, status: 'FAILED' } });
    const rows = await nodeRows(harness, runId);
    expect(rows.call.status).toBe('FAILED');
    expect(rows.call.output).toBeNull();
    expect(rows.call.error).toMatchObject({ type: 'HttpStatusError', attempts: 1 });
    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('SUCCEEDED');
  });

  it('"route" takes only the on:error edges, which see nodes.<id>.error', async () => {
    const { runId, output, failure } = await harness.run({
      nodes: [
        broken('route'),
        { id: 'happy', type: 'set', config: { value: 'should not run' } },
        { id: 'recover', type: 'set', config: { value: '{{ nodes.call.error }}' } },
        { id: 'onlyBadRequests', type: 'http', config: { url: `${http.url}/ok` } },
      ],
      edges: [
        { from: 'call', to: 'happy' },
        { from: 'call', to: 'recover', on: 'error' },
        { from: 'call', to: 'onlyBadRequests', on: 'error', condition: "nodes.call.error.type = 'NetworkError'" },
      ],
    });
    expect(failure).toBeUndefined();
    const rows = await nodeRows(harness, runId);
    expect(rows.happy.status).toBe('SKIPPED');
    expect(rows.onlyBadRequests.status).toBe('SKIPPED');
    expect(rows.recover.status).toBe('SUCCEEDED');
    expect(rows.recover.output).toMatchObject({ type: 'HttpStatusError', attempts: 1 });
    expect((rows.recover.output as { message: string }).message).toMatch(/400/);
    expect(output).toMatchObject({ recover: { type: 'HttpStatusError' } });
    expect(http.count('GET /ok')).toBe(0);
  });

  it('a node that succeeds takes its success edges, not its error edges', async () => {
    const { runId } = await harness.run({
      nodes: [
        { id: 'call', type: 'http', config: { url: `${http.url}/ok` }, onError: 'route' },
        { id: 'happy', type: 'set', config: { value: 1 } },
        { id: 'recover', type: 'set', config: { value: 2 } },
      ],
      edges: [
        { from: 'call', to: 'happy' },
        { from: 'call', to: 'recover', on: 'error' },
      ],
    });
    const rows = await nodeRows(harness, runId);
    expect(rows.happy.status).toBe('SUCCEEDED');
    expect(rows.recover.status).toBe('SKIPPED');
  });
});
