import { defineConfig } from 'vitest/config';

// Records replay histories (see record-histories.record.ts); not part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/replay/*.record.ts'],
    globalSetup: ['@trellis/test-support/global-setup'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
