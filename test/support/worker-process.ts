/**
 * A worker in its own OS process (`apps/worker/dist/main.js`), so a test can kill it with SIGKILL the
 * way a crashed machine would, on the harness's database, Temporal server and task queue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { Harness } from './worker.js';

const workerMain = fileURLToPath(new URL('../../apps/worker/dist/main.js', import.meta.url));

/** Starts the worker process; `env` adds to (or overrides) the variables it reads. */
export function spawnWorkerProcess(harness: Harness, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [workerMain], {
    env: {
      ...process.env,
      DATABASE_URL: harness.db.url,
      TEMPORAL_ADDRESS: harness.temporalAddress,
      TEMPORAL_TASK_QUEUE: harness.taskQueue,
      TRELLIS_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Sends `signal` and resolves once the process has exited. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
