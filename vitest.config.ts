// Two projects: unit (pure logic, no lab) and integration (the real lab, one file at a time).
import { defineConfig } from 'vitest/config';
import { testDataDir } from './e2e/support/dataDir';

/** Never the real user's data directory: tests (and the CLIs they start) write here. */
const env = { FLEETDECK_DATA_DIR: testDataDir() };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{main,shared,renderer,e2e}/**/*.test.{ts,tsx}'],
          environment: 'node',
          env,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{main,e2e}/**/*.itest.ts'],
          environment: 'node',
          env,
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
