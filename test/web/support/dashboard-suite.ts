/**
 * The stack a dashboard test file runs against, set up once per file with vitest hooks: an API whose owner
 * exists (see `startApiWithOwner`), optionally on a harness with a real worker, and a headless Chromium.
 * The page a test stores in `suite.page` is screenshotted when the test fails.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createHarness, type Harness } from '@trellis/test-support/worker';
import type { ApiTestContext } from '../../api/support/api-test-context.js';
import { launchBrowser, screenshot } from './browser.js';
import { startApiWithOwner } from './signed-in.js';

export interface DashboardSuite {
  ctx: ApiTestContext;
  browser: Browser;
  /** Set by the test; kept for the failure screenshot. */
  page?: Page;
  /** Present when the suite asked for a worker. */
  harness?: Harness;
}

/**
 * Registers the hooks that start and stop the stack; read the returned object inside tests only.
 * @param options.worker - start a harness with a real worker
 * @param options.egressAllow - the origins that worker may reach (read when the hooks run)
 */
export function dashboardSuite(options: { worker?: boolean; egressAllow?: () => string[] } = {}): DashboardSuite {
  const suite = {} as DashboardSuite;
  beforeAll(async () => {
    // The local servers the worker may reach, started by hooks registered before this one.
    if (options.worker) suite.harness = await createHarness({ egressAllow: options.egressAllow?.() });
    const { harness } = suite;
    suite.ctx = await startApiWithOwner(harness ? { db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue } : {});
    suite.browser = await launchBrowser();
  });
  afterEach(async (test) => {
    if (suite.page && test.task.result?.state === 'fail') await screenshot(suite.page, `failed-${test.task.name.replace(/\W+/g, '-')}`);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.ctx?.close();
    await suite.harness?.close();
  });
  return suite;
}
