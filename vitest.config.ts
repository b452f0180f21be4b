import { defineConfig } from 'vitest/config';

/**
 * Test tiers, run together by `npm test` and one by one by `npm run test:<tier>`:
 * - `unit`: no Postgres, no Temporal; seconds.
 * - `db`: Postgres only.
 * - `integration`: a real Temporal dev server (started once by the global setup of `@trellis/test-support`)
 *   and Postgres; the dashboard's tests (`test/web`) also a headless Chromium.
 * - `slow`: the 10,000-item loop, worker and server restarts, the Temporal CLI's own tests.
 *
 * Tests run against the built workspaces (`npm test` builds first), the shared test helpers of
 * `packages/test-support` included: the API needs tsc's decorator metadata, and the worker bundles the
 * compiled workflow code.
 */
const slow = ['test/interpreter/for-each-scale.test.ts', 'test/restart/**/*.test.ts', 'test/temporal/**/*.test.ts'];
const temporalSetup = ['@trellis/test-support/global-setup'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/dag-interpreter/test/**/*.test.ts',
            'packages/connectors/test/**/*.test.ts',
            'packages/test-support/test/**/*.test.ts',
            'apps/api/test/**/*.test.ts',
            'test/lint/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: { name: 'db', include: ['packages/db/test/**/*.test.ts', 'apps/worker/test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/api/**/*.test.ts', 'test/interpreter/**/*.test.ts', 'test/examples/**/*.test.ts', 'test/replay/**/*.test.ts', 'test/web/**/*.test.ts'],
          exclude: slow,
          globalSetup: temporalSetup,
        },
      },
      {
        extends: true,
        test: { name: 'slow', include: slow, globalSetup: temporalSetup },
      },
    ],
  },
});
