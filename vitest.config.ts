// Two projects: unit (pure logic, no lab) and integration (the real lab, one file at a time).
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Never the real user's data directory: tests (and the CLIs they start) write here, inside the lab
 * folder, as e2e/support/dataDir.ts says (not imported: Vite's config loader warns on local imports).
 */
const env = { FLEETDECK_DATA_DIR: process.env.FLEETDECK_DATA_DIR ?? path.join(process.env.FLEETDECK_LAB_DIR ?? '/var/tmp/fleetdeck-lab', 'data') };

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
