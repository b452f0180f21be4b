/**
 * Once per `npm test`: one Temporal dev server (unless TEMPORAL_ADDRESS points at one) and one
 * workflow bundle, shared by every test file. Each test file uses its own task queue and database.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '@trellis/worker';
import { startTestTemporal } from './temporal.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = process.env.TEMPORAL_ADDRESS ? undefined : await startTestTemporal();
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  const dir = await mkdtemp(join(tmpdir(), 'trellis-bundle-'));
  const bundlePath = join(dir, 'workflow-bundle.js');
  await writeFile(bundlePath, code);
  project.provide('temporalAddress', server?.address ?? (process.env.TEMPORAL_ADDRESS as string));
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    await server?.stop();
  };
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
