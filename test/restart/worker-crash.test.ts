/**
 * A worker killed with SIGKILL mid-run loses nothing: a new worker finishes the run, and no
 * side effect that had completed is repeated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type HttpFixture, startHttpFixture } from '@trellis/test-support';
import { createHarness, type Harness, nodeRows, spawnWorkerProcess, stopProcess, withEgressAllowed } from '@trellis/test-support/worker';

let harness: Harness;
let http: HttpFixture;
beforeAll(async () => {
  http = await startHttpFixture();
  harness = await createHarness({ egressAllow: [http.url] });
  // The in-process worker of the harness is not wanted here: the run must live in a process we can kill.
  await harness.worker.stop();
});
afterAll(async () => {
  await harness?.close();
  await http?.close();
});


describe('worker crash', () => {
  it('resumes a run after kill -9 without repeating completed http calls', async () => {
    const dag = {
      nodes: [
        { id: 'charge', type: 'http', config: { method: 'POST', url: `${http.url}/charge`, body: { amount: 10 } } },
        { id: 'cooldown', type: 'delay', config: { duration: '3s' } },
        { id: 'notify', type: 'http', config: { method: 'POST', url: `${http.url}/notify`, body: '{{ nodes.charge.output.status }}' } },
      ],
      edges: [
        { from: 'charge', to: 'cooldown' },
        { from: 'cooldown', to: 'notify' },
      ],
      output: 'nodes.notify.output.status',
    };
    const first = spawnWorkerProcess(harness, withEgressAllowed({}, [http.url]));
    const exited = new Promise((resolve) => first.once('exit', resolve));
    const { runId, result } = await harness.start(dag);

    await eventually(async () => {
      const rows = await nodeRows(harness, runId);
      return rows.charge?.status === 'SUCCEEDED' && rows.cooldown?.status === 'RUNNING';
    }, 30_000);
    first.kill('SIGKILL');
    await exited;

    const second = spawnWorkerProcess(harness, withEgressAllowed({}, [http.url]));
    try {
      const { output } = await result;
      expect(output).toBe(200);
    } finally {
      await stopProcess(second);
    }
    expect(http.count('POST /charge')).toBe(1);
    expect(http.count('POST /notify')).toBe(1);
    const rows = await nodeRows(harness, runId);
    expect([rows.charge.status, rows.cooldown.status, rows.notify.status]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('SUCCEEDED');
  });
});
