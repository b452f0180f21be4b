/**
 * What the global setup (`global-setup.ts`) hands to every test file through vitest's `provide` /
 * `inject`: the shared Temporal server and the workflow bundle built once per run.
 */
import { inject } from 'vitest';

declare module 'vitest' {
  /** What the global setup (`@trellis/test-support/global-setup`) provides to every test file. */
  export interface ProvidedContext {
    /** `host:port` of the shared Temporal dev server (or of `TEMPORAL_ADDRESS`). */
    temporalAddress: string;
    /** Absolute path of the prebuilt workflow bundle (`bundleWorkflowCode` output). */
    workflowBundlePath: string;
  }
}

/**
 * `host:port` of the Temporal server shared by the test run: the one the global setup started, or
 * `TEMPORAL_ADDRESS` when the test file runs without that setup.
 *
 * @throws Error when neither is there.
 */
export function testTemporalAddress(): string {
  const address = (inject('temporalAddress') as string | undefined) ?? process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('No Temporal server: run through the vitest global setup or set TEMPORAL_ADDRESS');
  return address;
}

/**
 * Path of the workflow bundle the global setup built once for the test run; workers started with it
 * skip bundling the workflow code (seconds each).
 *
 * @throws Error when the test file runs without the global setup.
 */
export function testWorkflowBundlePath(): string {
  const path = inject('workflowBundlePath') as string | undefined;
  if (!path) throw new Error('No workflow bundle: run through the vitest global setup (@trellis/test-support/global-setup)');
  return path;
}

