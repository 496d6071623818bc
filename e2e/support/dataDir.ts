// The data directory test runs use, so no test ever writes to the real user's one
// (~/.local/share/fleetdeck): FLEETDECK_DATA_DIR where the runner set it, else a folder inside the
// lab's state folder, which `lab.sh down` removes with the rest of the lab.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { LAB_DIR } from './lab';

/** Where a test run's console and CLI keep their audit log, unless FLEETDECK_DATA_DIR says otherwise. */
export const TEST_DATA_DIR = path.join(LAB_DIR, 'data');

/** The data directory of this test run: the console under test and the CLIs a spec runs share it. */
export function testDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLEETDECK_DATA_DIR ? path.resolve(env.FLEETDECK_DATA_DIR) : TEST_DATA_DIR;
}

/**
 * Sets FLEETDECK_DATA_DIR in `env` (the runner's process.env, by default) where it is not set yet,
 * so every process started from there inherits it; returns the folder.
 */
export function useTestDataDir(env: NodeJS.ProcessEnv = process.env): string {
  env.FLEETDECK_DATA_DIR = testDataDir(env);
  return env.FLEETDECK_DATA_DIR;
}

/** A fresh, empty data directory for one test file (inside the lab folder, never /tmp or the repo). */
export function freshDataDir(label: string): string {
  return mkdtempSync(path.join(LAB_DIR, `data-${label}-`));
}
