// npm test: every check in order, against the real lab, ending with one "N passed, M failed" line.
// Steps: lint, typecheck, unit tests, renderer build, lab up (cold, then warm to prove it is
// idempotent), integration tests, Playwright e2e, lab down (and proof that nothing is left).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { useTestDataDir } from './support/dataDir';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'e2e/out');
const keepLab = process.argv.includes('--keep-lab');
// Every step inherits it: no test writes to the real user's data directory. It lies inside the lab
// folder, so `lab down` removes it; a unit test that wrote there before `lab up` would make the
// cold `lab up` refuse the folder, which is as it should be (unit tests keep no durable state).
useTestDataDir();

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(127));
  });
}

async function step(name: string, command: string, args: string[], env?: Record<string, string>): Promise<boolean> {
  const started = Date.now();
  process.stdout.write(`\n=== ${name}\n`);
  const code = await run(command, args, env);
  const ok = code === 0;
  process.stdout.write(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return ok;
}

/** A check that is one test in the summary. */
async function check(name: string, command: string, args: string[]): Promise<boolean> {
  const ok = await step(name, command, args);
  if (ok) total.passed++;
  else {
    total.failed++;
    failures.push(name);
  }
  return ok;
}

/** A suite whose own test counts go into the summary, read from its JSON report. */
async function suite(name: string, command: string, args: string[], report: string, count: (json: unknown) => Tally, env?: Record<string, string>): Promise<void> {
  rmSync(report, { force: true });
  const ok = await step(name, command, args, env);
  if (!existsSync(report)) {
    total.failed++;
    failures.push(`${name} (no report)`);
    return;
  }
  const tally = count(JSON.parse(readFileSync(report, 'utf8')));
  total.passed += tally.passed;
  total.failed += tally.failed;
  total.skipped += tally.skipped;
  if (!ok && tally.failed === 0) {
    total.failed++;
    failures.push(`${name} (runner failed)`);
  } else if (tally.failed > 0) failures.push(`${name}: ${tally.failed} failed`);
}

const vitestCount = (json: unknown): Tally => {
  const r = json as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numFailedTestSuites: number };
  return { passed: r.numPassedTests, failed: r.numFailedTests + r.numFailedTestSuites, skipped: r.numPendingTests + r.numTodoTests };
};

const playwrightCount = (json: unknown): Tally => {
  const r = json as { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors?: unknown[] };
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected + (r.errors?.length ?? 0), skipped: r.stats.skipped };
};

const vitest = (project: string) => ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${OUT}/${project}.json`];

await check('lint (layering rules)', 'npx', ['eslint', '.']);
await check('typecheck main + shared', 'npx', ['tsc', '-p', 'tsconfig.json']);
await check('typecheck renderer', 'npx', ['tsc', '-p', 'renderer/tsconfig.json']);
await suite('unit tests', 'npx', vitest('unit'), `${OUT}/unit.json`, vitestCount);
await check('renderer build', 'npx', ['vite', 'build', '--logLevel', 'warn']);
const labUp = (await check('lab up', 'bash', ['e2e/lab/lab.sh', 'up'])) && (await check('lab up again (idempotent)', 'bash', ['e2e/lab/lab.sh', 'up']));
if (labUp) {
  await suite('integration tests (lab)', 'npx', vitest('integration'), `${OUT}/integration.json`, vitestCount);
  await suite('e2e (Playwright, Chromium, browser mode)', 'npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts'], `${OUT}/e2e.json`, playwrightCount, {
    PLAYWRIGHT_JSON_OUTPUT_NAME: `${OUT}/e2e.json`,
  });
} else {
  failures.push('integration and e2e not run: the lab did not come up');
}
if (!keepLab) {
  await check('lab down', 'bash', ['e2e/lab/lab.sh', 'down']);
  await check('lab down left nothing behind', 'bash', ['e2e/lab/lab.sh', 'verify-clean']);
}

process.stdout.write(`\n${failures.length ? `Failures:\n  ${failures.join('\n  ')}\n` : ''}`);
process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(total.failed > 0 || failures.length > 0 ? 1 : 0);
