/**
 * Vitest global setup of the projects that need Temporal (`globalSetup` in `vitest.config.ts`), once
 * per run: one Temporal dev server (unless `TEMPORAL_ADDRESS` points at one) and one workflow bundle,
 * shared by every test file through `provide`. Each test file uses its own task queue and database.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '@trellis/db';
import { workflowsPath } from '@trellis/worker';
// Type-only: the declaration of what is provided. The module itself needs vitest's test runtime.
import type {} from './provided-context.js';
import { startTestTemporal } from './temporal.js';

/**
 * Starts the shared server (on free ports, see `startTestTemporal`) and writes the bundle of the DAG
 * workflow to a temporary directory, then provides `temporalAddress` and `workflowBundlePath`.
 *
 * @returns the teardown: stops the server it started and deletes the bundle.
 * @throws Error when no Temporal CLI can be found or the server does not start; the bundler's error
 *   when the workflow code does not bundle.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = process.env.TEMPORAL_ADDRESS ? undefined : await startTestTemporal();
  try {
    const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietLogger });
    const dir = await mkdtemp(join(tmpdir(), 'trellis-bundle-'));
    const bundlePath = join(dir, 'workflow-bundle.js');
    await writeFile(bundlePath, code);
    project.provide('temporalAddress', server?.address ?? (process.env.TEMPORAL_ADDRESS as string));
    project.provide('workflowBundlePath', bundlePath);
    return async () => {
      await server?.stop();
      await rm(dir, { recursive: true, force: true });
    };
  } catch (error) {
    await server?.stop();
    throw error;
  }
}

/** The bundler's progress lines stay out of the test output; its warnings and errors do not. */
const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
