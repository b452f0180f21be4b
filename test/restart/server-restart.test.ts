/**
 * A Temporal dev server stopped mid-run and started again on the same database file keeps the
 * run, and the run completes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DAG_WORKFLOW_TYPE } from '@trellis/dag-interpreter';
import { resolveTemporalCli, startDevServer } from '../../temporal/dev-server.mjs';
import { eventually, freePort, stablePort } from '@trellis/test-support';
import { createTestDatabase } from '@trellis/test-support/database';
import { startTestWorker, testDataConverter, type RunningWorker } from '@trellis/test-support/worker';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'trellis-restart-'));
});
afterAll(async () => {
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('Temporal server restart', () => {
  it('completes a run that was in flight when the server stopped', async () => {
    const { path: cliPath } = await resolveTemporalCli({ log: () => undefined });
    // The frontend port must be the same after the restart (the worker reconnects to it), so it comes from
    // outside the ephemeral range; the UI port may change, so each start takes a fresh one.
    const port = await stablePort();
    const start = async () => startDevServer({ cliPath, dataDir, port, uiPort: await freePort(), log: () => undefined });
    let server = await start();
    const taskQueue = `restart-${randomUUID()}`;
    let worker: RunningWorker | undefined;
    try {
      worker = await startTestWorker({ databaseUrl: db.url, temporalAddress: server.address, taskQueue });
      const dag = {
        nodes: [
          { id: 'before', type: 'set', config: { value: 'before restart' } },
          { id: 'wait', type: 'delay', config: { duration: '4s' } },
          { id: 'after', type: 'set', config: { value: '{{ nodes.before.output & ", after restart" }}' } },
        ],
        edges: [
          { from: 'before', to: 'wait' },
          { from: 'wait', to: 'after' },
        ],
        output: 'nodes.after.output',
      };
      const agent = await db.prisma.agent.create({ data: { name: 'restart' } });
      const version = await db.prisma.agentVersion.create({ data: { agentId: agent.id, version: 1, dag } });
      const runId = randomUUID();
      const connection = await Connection.connect({ address: server.address });
      await new Client({ connection, dataConverter: testDataConverter(db.prisma) }).workflow.start(DAG_WORKFLOW_TYPE, {
        workflowId: runId,
        taskQueue,
        args: [{ runId, agentVersionId: version.id, dag, input: {} }],
      });
      await connection.close();
      await eventually(async () => {
        const row = await db.prisma.nodeRun.findUnique({ where: { runId_nodeId: { runId, nodeId: 'wait' } } });
        return row?.status === 'RUNNING';
      });

      await server.stop('SIGTERM');
      server = await start();

      const again = await Connection.connect({ address: server.address });
      try {
        const output = await new Client({ connection: again, dataConverter: testDataConverter(db.prisma) }).workflow.getHandle(runId).result();
        expect(output).toEqual({ output: 'before restart, after restart' });
      } finally {
        await again.close();
      }
      const run = await eventually(async () => {
        const row = await db.prisma.run.findUnique({ where: { id: runId } });
        return row?.status === 'SUCCEEDED' ? row : undefined;
      });
      expect(run.output).toBe('before restart, after restart');
    } finally {
      await worker?.stop();
      await server.stop();
    }
  });
});
