// The console's Rollouts view end to end on the lab, in Chromium, through browser mode, with the
// CLI sharing its fresh data directory (and so its rollout journal): a rolling restart started by
// `fleetdeck restart` shows in the Rollouts grid while it runs, then with its final state; a
// deploy left interrupted (the CLI SIGKILLed mid-update) shows at start-up in "Interrupted
// rollouts" with each container's state, and Resume carries it to completed: every container on
// the new digest with the same IP and MAC, nothing left behind; another one left interrupted is
// undone with Roll back (confirmed in place): every container back on the digest it had, same IP
// and MAC. A throwaway service fd-ui-svc of
// one static member on h1 and one on h2 (198.18.4.180–.181), removed afterwards.
import { rmSync } from 'node:fs';
import os from 'node:os';
import { expect, test, type Page } from '@playwright/test';
import { RolloutsPage } from '../pages/rolloutsPage';
import { fleetdeckWith } from '../support/cli';
import { startConsole, type RunningConsole } from '../support/console';
import { freshDataDir } from '../support/dataDir';
import { lab, labRegistryEnv } from '../support/lab';
import { FAULT_MONITOR, FaultService, labDigests, startFleetdeck, waitForStep } from '../support/rolloutLab';

test.describe.configure({ mode: 'serial' });

const SERVICE = 'fd-ui-svc';
const USER = os.userInfo().username;
/** A rollout of two containers, one at a time: each pulled, recreated, healthy (the lab app's check: ~5 s) and watched. */
const ROLLOUT_TIMEOUT_MS = 180_000;

const info = lab();
const svc = FaultService.withStaticMembers(SERVICE, 1, 180, ['h1', 'h2']);
let dataDir: string;
let env: Record<string, string>;
let consoleUnderTest: RunningConsole;
let digests: Record<string, string>;

const cli = (...args: string[]) => fleetdeckWith(env, '--fleet', info.fleetFile, ...args);
const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/out/rollouts-${name}.png` });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dataDir = freshDataDir('ui-rollouts');
  env = { ...labRegistryEnv(), FLEETDECK_DATA_DIR: dataDir };
  await svc.create(info.images['1.0']!);
  digests = await labDigests(cli, ['1.0', '1.1']);
  consoleUnderTest = await startConsole(info.fleetFile, dataDir, labRegistryEnv());
});

test.afterAll(async () => {
  await consoleUnderTest?.stop();
  await svc.remove();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a rolling restart started by the CLI shows in the Rollouts grid while it runs, then with its final state', async ({ page }) => {
  test.setTimeout(ROLLOUT_TIMEOUT_MS);
  const rollouts = new RolloutsPage(page);
  await page.goto(consoleUnderTest.launchUrl);
  await rollouts.open();
  await expect(rollouts.grid).toContainText('No rollouts on record yet');

  const before = await svc.snapshot();
  const restart = cli('restart', '--service', SERVICE, '--monitor', FAULT_MONITOR, '--json');
  // Live: it shows while the CLI runs it, without a reload.
  const running = await waitForStep(dataDir, () => true, 60_000);
  await expect(rollouts.stateOf(running.rolloutId)).toHaveText(/running/, { timeout: 10_000 });
  await rollouts.row(running.rolloutId).click();
  await expect(rollouts.detail(running.rolloutId)).toContainText(svc.members[0]!.name);
  await shot(page, 'cli-running');

  const res = await restart;
  expect(res.code, res.stderr).toBe(0);
  const summary = JSON.parse(res.stdout) as { id: string; state: string };
  expect(summary).toMatchObject({ id: running.rolloutId, state: 'completed' });
  await expect(rollouts.stateOf(summary.id)).toHaveText(/completed/, { timeout: 10_000 });
  const cells = await rollouts.row(summary.id).getByRole('gridcell').allInnerTexts();
  expect(cells.map((c) => c.replace(/\s+/g, ' ').trim())).toEqual([summary.id, 'restart', SERVICE, 'completed', expect.any(String), `${USER} cli`, '2/2']);
  const detail = rollouts.detail(summary.id);
  for (const m of svc.members) await expect(detail.getByRole('row').filter({ hasText: m.name })).toContainText('done');
  await shot(page, 'cli-completed');
  await svc.assertInvariant(before);
});

test('a deploy left interrupted shows at start-up in "Interrupted rollouts" with its containers\' states, and Resume carries it to completed', async ({ page }) => {
  test.setTimeout(ROLLOUT_TIMEOUT_MS);
  const rollouts = new RolloutsPage(page);
  const before = await svc.snapshot();
  expect(before.map((s) => s.digest)).toEqual([digests['1.0'], digests['1.0']]);

  // The CLI SIGKILLed while a container is mid-update: no end line, its process gone.
  const known = new Set((JSON.parse((await cli('rollouts', '--json')).stdout) as { id: string }[]).map((r) => r.id));
  const run = startFleetdeck(env, '--fleet', info.fleetFile, 'deploy', '--service', SERVICE, '--image', info.images['1.1']!, '--monitor', FAULT_MONITOR, '--json');
  const caught = await waitForStep(dataDir, (s) => !known.has(s.rolloutId) && (s.step === 'stopping' || s.step === 'starting'), 60_000).finally(() => run.kill());
  expect((await run.exited).signal).toBe('SIGKILL');
  const listed = await cli('rollouts', '--json');
  const record = (JSON.parse(listed.stdout) as { id: string; state: string; containers: { container: string; step: string }[] }[]).find((r) => r.id === caught.rolloutId)!;
  expect(record.state).toBe('interrupted');

  // The console's start-up (a fresh page): the region offers it, each container with its journaled step.
  await page.goto(consoleUnderTest.launchUrl);
  await expect(rollouts.interruptedRollout(caught.rolloutId)).toBeVisible({ timeout: 15_000 });
  await expect(rollouts.interruptedRollout(caught.rolloutId)).toContainText(`deploy of ${SERVICE}`);
  expect(await rollouts.interruptedContainers(caught.rolloutId)).toEqual(record.containers.map((c) => `${c.container} ${c.step.replace('-', ' ')}`));
  const buttons = rollouts.interruptedRollout(caught.rolloutId).getByRole('button');
  await expect(buttons.filter({ hasText: /^(Resume|Roll back)$/ })).toHaveText(['Resume', 'Roll back']);
  await shot(page, 'interrupted');

  // From the keyboard: Resume takes the focus and Enter.
  const resume = rollouts.interruptedRollout(caught.rolloutId).getByRole('button', { name: 'Resume' });
  await resume.focus();
  await expect(resume).toBeFocused();
  await page.keyboard.press('Enter');

  await rollouts.open();
  await rollouts.row(caught.rolloutId).click();
  await expect(rollouts.stateOf(caught.rolloutId)).toHaveText(/running|completed/, { timeout: 15_000 });
  await shot(page, 'resuming');
  await expect(rollouts.stateOf(caught.rolloutId)).toHaveText(/completed/, { timeout: ROLLOUT_TIMEOUT_MS - 60_000 });
  await expect(rollouts.interrupted).toBeHidden();
  const detail = rollouts.detail(caught.rolloutId);
  for (const m of svc.members) await expect(detail.getByRole('row').filter({ hasText: m.name })).toContainText('done');
  await shot(page, 'resumed');

  // Docker: every container on 1.1's digest, the same IP and MAC, nothing left behind.
  const after = await svc.assertInvariant(before);
  expect(after.map((s) => s.digest)).toEqual([digests['1.1'], digests['1.1']]);
  // The CLI reads the same journal: completed, resumed by the console.
  const final = (JSON.parse((await cli('rollouts', '--json')).stdout) as { id: string; state: string }[]).find((r) => r.id === caught.rolloutId);
  expect(final?.state).toBe('completed');
});

test('Roll back, confirmed in place, undoes a deploy left interrupted: every container back on its digest, same IP and MAC', async ({ page }) => {
  test.setTimeout(ROLLOUT_TIMEOUT_MS);
  const rollouts = new RolloutsPage(page);
  const before = await svc.snapshot();
  expect(before.map((s) => s.digest)).toEqual([digests['1.1'], digests['1.1']]);

  const known = new Set((JSON.parse((await cli('rollouts', '--json')).stdout) as { id: string }[]).map((r) => r.id));
  const run = startFleetdeck(env, '--fleet', info.fleetFile, 'deploy', '--service', SERVICE, '--image', info.images['1.0']!, '--monitor', FAULT_MONITOR, '--json');
  const caught = await waitForStep(dataDir, (s) => !known.has(s.rolloutId) && (s.step === 'stopping' || s.step === 'starting'), 60_000).finally(() => run.kill());
  expect((await run.exited).signal).toBe('SIGKILL');

  await page.goto(consoleUnderTest.launchUrl);
  const offered = rollouts.interruptedRollout(caught.rolloutId);
  await expect(offered).toBeVisible({ timeout: 15_000 });
  await offered.getByRole('button', { name: 'Roll back' }).click();
  // It asks first, in place: Confirm takes the focus.
  const confirm = offered.getByRole('button', { name: 'Confirm roll back' });
  await expect(confirm).toBeFocused();
  await expect(offered).toContainText('returns every container it touched to its previous revision');
  await shot(page, 'rollback-confirm');
  await page.keyboard.press('Enter');

  await rollouts.open();
  await expect(rollouts.stateOf(caught.rolloutId)).toHaveText(/rolled-back/, { timeout: ROLLOUT_TIMEOUT_MS - 60_000 });
  await expect(rollouts.interrupted).toBeHidden();
  await rollouts.row(caught.rolloutId).click();
  await shot(page, 'rolled-back');

  const after = await svc.assertInvariant(before);
  expect(after.map((s) => s.digest)).toEqual([digests['1.1'], digests['1.1']]);
});
