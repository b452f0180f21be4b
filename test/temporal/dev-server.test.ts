import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTemporal, resolveTemporalCli, startDevServer } from '../../temporal/dev-server.mjs';
import { freePort, stablePort } from '@trellis/test-support';
import { startTestTemporal } from '@trellis/test-support/temporal';

const devServerScript = fileURLToPath(new URL('../../temporal/dev-server.mjs', import.meta.url));

let root: string;
let cliPath: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-dev-server-'));
  cliPath = (await resolveTemporalCli({ log: () => {} })).path;
}, 600_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function listen(port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * A frontend port whose UI port (`port + 1000`, the dev server's default) is free as well, both below the
 * kernel's ephemeral range (from 32768), so no other test's connection can take either before the server binds.
 */
async function frontendPortWithUi(): Promise<number> {
  for (;;) {
    const port = await stablePort();
    if (port + 1000 >= 32_768) continue;
    try {
      const ui = await listen(port + 1000);
      await new Promise((resolve) => ui.close(resolve));
      return port;
    } catch {
      // The UI port is taken: try another.
    }
  }
}

/** Fails unless `port` can be bound, i.e. no server holds it any more. */
async function expectPortFree(port: number): Promise<void> {
  const server = await listen(port);
  await new Promise((resolve) => server.close(resolve));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withClient<T>(address: string, namespace: string, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new Client({ connection, namespace }));
  } finally {
    await connection.close();
  }
}

describe('startDevServer / startTestTemporal', () => {
  it('keeps a workflow execution across a stop and a restart on the same database file', async () => {
    const dataDir = join(root, 'restart');
    const workflowId = `survives-restart-${Date.now()}`;

    const first = await startTestTemporal({ dataDir });
    let runId: string;
    try {
      expect(first.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(first.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.namespace).toBe('default');
      // No worker polls this task queue, so the execution simply stays open.
      runId = await withClient(first.address, first.namespace, async (client) => {
        const handle = await client.workflow.start('NoWorkerForThisType', {
          taskQueue: 'nobody-polls-this-queue',
          workflowId,
          args: [{ survives: 'restart' }],
        });
        expect((await handle.describe()).status.name).toBe('RUNNING');
        return handle.firstExecutionRunId;
      });
    } finally {
      await first.stop();
    }
    expect(isAlive(first.pid)).toBe(false);

    const second = await startTestTemporal({ dataDir });
    try {
      expect(second.pid).not.toBe(first.pid);
      await withClient(second.address, second.namespace, async (client) => {
        const description = await client.workflow.getHandle(workflowId).describe();
        expect(description.runId).toBe(runId);
        expect(description.type).toBe('NoWorkerForThisType');
        expect(description.status.name).toBe('RUNNING');

        const listed: string[] = [];
        for await (const execution of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
          listed.push(execution.runId);
        }
        expect(listed).toEqual([runId]);
        await client.workflow.getHandle(workflowId).terminate('test done');
      });
    } finally {
      await second.stop('SIGKILL');
    }
    expect(isAlive(second.pid)).toBe(false);
  });

  it('removes the temp data dir it created once stopped', async () => {
    const server = await startTestTemporal();
    await readFile(join(server.dataDir, 'temporal.db'));
    await server.stop();
    await expect(readFile(join(server.dataDir, 'temporal.db'))).rejects.toThrow(/ENOENT/);
  });

  it('reports an early exit with the server output when the port is taken', async () => {
    const blocker = await listen(0);
    const { port } = blocker.address() as { port: number };
    try {
      const started = startDevServer({ cliPath, dataDir: join(root, 'port-taken'), port, uiPort: await freePort(), log: () => {} });
      await expect(started).rejects.toThrow(/exited before it was ready[\s\S]*--- last Temporal server output ---\n\S/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('gives up at the readiness deadline and kills the server', async () => {
    const port = await freePort();
    const started = startDevServer({ cliPath, dataDir: join(root, 'deadline'), port, readyTimeoutMs: 1, log: () => {} });
    await expect(started).rejects.toThrow(`Temporal dev server at 127.0.0.1:${port} was not serving namespace "default" within the deadline`);
    // The killed server no longer holds its port.
    await expectPortFree(port);
  });

  it('reports a CLI path that cannot be run', async () => {
    const started = startDevServer({ cliPath: join(root, 'no-such-binary'), dataDir: join(root, 'no-binary'), log: () => {} });
    await expect(started).rejects.toThrow(/cannot run .*no-such-binary: spawn .* ENOENT/);
  });
});

describe('ensureTemporal', () => {
  it('uses TEMPORAL_ADDRESS as is and starts nothing', async () => {
    const endpoint = await ensureTemporal({
      dataDir: join(root, 'unused'),
      log: () => {},
      // A CLI path that cannot work proves nothing is resolved or started.
      env: { TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_NAMESPACE: 'trellis', TEMPORAL_CLI_PATH: '/nonexistent/temporal' },
    });
    expect(endpoint.address).toBe('temporal.example:7233');
    expect(endpoint.namespace).toBe('trellis');
    expect(endpoint.uiUrl).toBeUndefined();
    await endpoint.stop();
  });

  it('starts a dev server on TEMPORAL_PORT with TEMPORAL_NAMESPACE created', async () => {
    const port = await frontendPortWithUi();
    const endpoint = await ensureTemporal({
      dataDir: join(root, 'ensure'),
      log: () => {},
      env: { ...process.env, TEMPORAL_ADDRESS: undefined, TEMPORAL_CLI_PATH: cliPath, TEMPORAL_PORT: String(port), TEMPORAL_NAMESPACE: 'trellis-test' },
    });
    try {
      expect(endpoint).toMatchObject({ address: `127.0.0.1:${port}`, namespace: 'trellis-test', uiUrl: `http://127.0.0.1:${port + 1000}` });
      const connection = await Connection.connect({ address: endpoint.address });
      try {
        const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'trellis-test' });
        expect(namespaceInfo?.name).toBe('trellis-test');
      } finally {
        await connection.close();
      }
    } finally {
      await endpoint.stop();
    }
    await expectPortFree(port);
  });

  it('rejects a TEMPORAL_PORT that is not a port number', async () => {
    await expect(
      ensureTemporal({ dataDir: join(root, 'bad-port'), log: () => {}, env: { TEMPORAL_PORT: '72x33', TEMPORAL_CLI_PATH: cliPath } }),
    ).rejects.toThrow('TEMPORAL_PORT=72x33 is not a port number');
  });
});

describe('node temporal/dev-server.mjs', () => {
  it('starts a server, prints where it is, and stops it on SIGTERM', async () => {
    const port = await frontendPortWithUi();
    const dataDir = join(root, 'command');
    const child = spawn(process.execPath, [devServerScript, '--data-dir', dataDir], {
      env: { ...process.env, TEMPORAL_ADDRESS: '', TEMPORAL_CLI_PATH: cliPath, TEMPORAL_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const printed: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      printed.push(line);
      if (line.startsWith('Stop with Ctrl-C')) break;
    }
    child.stdout.resume(); // keep draining so the child never blocks on a full pipe
    expect(printed, stderr).toContain(`Temporal address: 127.0.0.1:${port}`);
    expect(printed).toContain(`Web UI: http://127.0.0.1:${port + 1000}`);
    expect(printed).toContain(`Data: ${dataDir}`);
    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    await connection.workflowService.getSystemInfo({});
    await connection.close();

    child.kill('SIGTERM');

    expect(await exited, stderr).toBe(0);
    expect(stderr).toContain('SIGTERM: stopping the Temporal dev server');
    // The server went down with it: its port is free again.
    await expectPortFree(port);
    expect((await readFile(join(dataDir, 'temporal.db'))).byteLength).toBeGreaterThan(0);
  });
});
