import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

describe('workflow bundle', () => {
  it("Temporal's workflow bundler accepts code importing the workflow-safe entry point", async () => {
    const workflowsPath = fileURLToPath(new URL('./fixtures/probe-workflow.ts', import.meta.url));
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: silent });
    expect(code).toContain('probeWorkflow');
    expect(code).not.toMatch(/node_modules\/ajv\//);
  });
});
