// The rollout planner end to end on the lab, in Chromium, through browser mode (issue 12's
// Acceptance): a rolling restart of a service opened from the Containers grid, one container
// dragged from the last lane to the first with the mouse and another moved with the keyboard
// alone (Space, arrows, Space), then Run: docker events show the containers restarted in exactly
// the dragged order, batch after batch, the cards reach "done" and the engine's invariant holds
// (same names, IPs and MACs, all running, nothing left behind). Then a deploy of the lab's
// failing tag (lab.json images.broken) shows the failure on its card and the Roll back button
// (confirmed) undoes it: every container back on 1.0's digest. Screenshots of the planner with
// lanes, a rollout in progress, a failed and rolled-back rollout and the history, in dark and
// light (e2e/out/planner-*.png). A throwaway service fd-plan-svc of four static members, one on
// h1, one on h2, two on h3 (198.18.4.232–.235), removed afterwards; a fresh data directory.
import { rmSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { PlannerPage } from '../pages/plannerPage';
import { fleetdeckWith } from '../support/cli';
import { startConsole, type RunningConsole } from '../support/console';
import { freshDataDir } from '../support/dataDir';
import { lab, labRegistryEnv } from '../support/lab';
import { EventRecorder, FAULT_HOSTS, FaultService, labDigests, memberOf, staticAddress, stopOrder, type ContainerEvent, type FaultHost } from '../support/rolloutLab';

test.describe.configure({ mode: 'serial' });

const SERVICE = 'fd-plan-svc';
/** Three batches of one or two, each restarted (stop-first: static addresses), healthy (≈ 1 s) and watched 5 s (the default monitor). */
const ROLLOUT_TIMEOUT_MS = 150_000;

const info = lab();
const member = (host: FaultHost, n: number, octet: number) => ({ host, name: `${SERVICE}-${host}-${n}`, ...staticAddress(octet) });
const svc = new FaultService(SERVICE, [member('h1', 1, 232), member('h2', 1, 233), member('h3', 1, 234), member('h3', 2, 235)]);
const [H1, H2, H3A, H3B] = svc.members.map((m) => m.name) as [string, string, string, string];
const NAMES = svc.members.map((m) => m.name);
let dataDir: string;
let env: Record<string, string>;
let consoleUnderTest: RunningConsole;
let digests: Record<string, string>;

const cli = (...args: string[]) => fleetdeckWith(env, '--fleet', info.fleetFile, ...args);

/** The state of SERVICE's newest `action` rollout, as the CLI reads the journal the console writes (in the shared data directory). */
async function newestState(action: 'restart' | 'deploy'): Promise<string | undefined> {
  const res = await cli('rollouts', '--json');
  expect(res.code, res.stderr).toBe(0);
  const mine = (JSON.parse(res.stdout) as { id: string; action: string; service?: string; state: string }[]).filter((r) => r.service === SERVICE && r.action === action);
  return mine.sort((a, b) => a.id.localeCompare(b.id)).at(-1)?.state;
}

/** e2e/out/planner-NAME-dark.png and -light.png: the same moment in both themes (the Theme button, then back). */
async function shots(page: Page, name: string): Promise<void> {
  const theme = page.getByRole('button', { name: 'Theme', exact: true });
  const scheme = () => page.evaluate<string>('getComputedStyle(document.documentElement).colorScheme');
  const first = await scheme();
  await page.screenshot({ path: `e2e/out/planner-${name}-${first}.png` });
  await theme.click();
  const second = await scheme();
  expect(second).not.toBe(first);
  await page.screenshot({ path: `e2e/out/planner-${name}-${second}.png` });
  await theme.click();
}

/** The batches as the events tell them: each batch's members all back up (started) before the next batch's first goes down. */
function batchesDoNotOverlap(events: ContainerEvent[], batches: string[][]): void {
  const of = (e: ContainerEvent) => memberOf(e.name);
  for (let i = 0; i + 1 < batches.length; i++) {
    const lastUp = Math.max(...events.filter((e) => e.action === 'start' && batches[i]!.includes(of(e))).map((e) => e.time));
    const nextDown = Math.min(...events.filter((e) => ['kill', 'die', 'stop'].includes(e.action) && batches[i + 1]!.includes(of(e))).map((e) => e.time));
    expect(lastUp, `batch ${i + 1} (${batches[i]!.join(', ')}) was up before batch ${i + 2} went down`).toBeLessThan(nextDown);
  }
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dataDir = freshDataDir('ui-planner');
  env = { ...labRegistryEnv(), FLEETDECK_DATA_DIR: dataDir };
  await svc.create(info.images['1.0']!);
  digests = await labDigests(cli, ['1.0']);
  consoleUnderTest = await startConsole(info.fleetFile, dataDir, labRegistryEnv());
});

test.afterAll(async () => {
  await consoleUnderTest?.stop();
  await svc.remove();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a rolling restart opened from the grid runs in the order dragged with the mouse and with the keyboard: docker events, cards done, the invariant', async ({ page }) => {
  test.setTimeout(ROLLOUT_TIMEOUT_MS + 60_000);
  const planner = new PlannerPage(page);
  await page.goto(consoleUnderTest.launchUrl);
  await planner.startFromGrid(SERVICE, 'Rolling restart…');
  await expect(planner.region).toBeVisible();

  // It opens in batch mode, one lane per container, by host then name.
  await expect(planner.lanes()).toHaveCount(4);
  await expect.poll(() => planner.layout(NAMES)).toEqual([[H1], [H2], [H3A], [H3B]]);
  await expect(planner.run).toBeEnabled();

  // The mouse: the last lane's container onto the first lane.
  await planner.dragWithMouse(H3B, 1);
  await expect(planner.card(H3B, planner.lane(1))).toBeVisible();
  // The keyboard alone: the first lane's other container, Space, → to the next lane, Space.
  await planner.moveWithKeyboard(H1, ['ArrowRight']);
  await expect(planner.card(H1, planner.lane(2))).toBeVisible();
  const lanes = (await planner.layout(NAMES)).filter((l) => l.length > 0);
  expect(lanes.map((l) => [...l].sort())).toEqual([[H3B], [H1, H2].sort(), [H3A]]);
  await shots(page, 'lanes');

  const before = await svc.snapshot();
  const recorder = await EventRecorder.start(SERVICE, FAULT_HOSTS);
  let events: ContainerEvent[] = [];
  try {
    await planner.run.click();
    // In progress: the first batch's card leaves "queued" while the others wait.
    await expect(planner.card(H3B)).toHaveAccessibleName(/, (pulling|stopping|starting|waiting healthy)$/, { timeout: 30_000 });
    await shots(page, 'running');
    for (const name of NAMES) await expect(planner.card(name)).toHaveAccessibleName(/, done$/, { timeout: ROLLOUT_TIMEOUT_MS });
  } finally {
    events = await recorder.stop();
  }
  await expect.poll(() => newestState('restart'), { timeout: 30_000 }).toBe('completed');
  await shots(page, 'completed');

  // Docker's own account: each batch's containers went down, in the lanes' order, and only once each batch was back.
  const order = stopOrder(events).map((key) => key.split('/')[1]!);
  expect(order).toHaveLength(NAMES.length);
  let at = 0;
  for (const lane of lanes) {
    expect(order.slice(at, at + lane.length).sort(), `docker events: batch of ${lane.join(', ')}`).toEqual([...lane].sort());
    at += lane.length;
  }
  batchesDoNotOverlap(events, lanes);
  const after = await svc.assertInvariant(before);
  expect(after.map((s) => s.digest)).toEqual(NAMES.map(() => digests['1.0']));
  expect(after.map((s) => s.id)).toEqual(before.map((s) => s.id));
});

test('a deploy of the failing tag shows the failure on its card, and Roll back (confirmed) returns every container to 1.0', async ({ page }) => {
  test.setTimeout(ROLLOUT_TIMEOUT_MS + 60_000);
  const planner = new PlannerPage(page);
  await page.goto(consoleUnderTest.launchUrl);
  const before = await svc.snapshot();

  await planner.startFromGrid(SERVICE, 'Deploy…');
  await planner.pickInDialog(new RegExp(`^${info.images.broken!.split(':').pop()!}\\b`));
  await expect(planner.region).toBeVisible();
  await expect.poll(() => planner.layout(NAMES)).toEqual([[H1], [H2], [H3A], [H3B]]);
  await planner.run.click();

  // The first container fails its health check (the broken tag has no /healthz): its card says so, with the reason; the rollout pauses.
  await expect(planner.card(H1)).toHaveAccessibleName(/, failed: .+/, { timeout: ROLLOUT_TIMEOUT_MS });
  await expect(planner.rollBack).toBeEnabled();
  for (const name of [H2, H3A, H3B]) await expect(planner.card(name)).toHaveAccessibleName(/, queued$/);
  await shots(page, 'failed');

  await planner.confirmed(planner.rollBack);
  await expect(planner.card(H1)).toHaveAccessibleName(/, rolled back/, { timeout: ROLLOUT_TIMEOUT_MS });
  await expect.poll(() => newestState('deploy'), { timeout: ROLLOUT_TIMEOUT_MS }).toBe('rolled-back');
  await shots(page, 'rolled-back');

  const after = await svc.assertInvariant(before);
  expect(after.map((s) => s.digest)).toEqual(NAMES.map(() => digests['1.0']));

  // The history, from the grid's service bar: the rolled-back deploy, newest first, and the restart before it.
  await planner.back.click();
  const history = await planner.openHistory(SERVICE);
  const rows = history.getByRole('table', { name: `Rollouts of ${SERVICE}` }).getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('deploy');
  await expect(rows.nth(1)).toContainText('rolled-back');
  await expect(rows.nth(2)).toContainText('restart');
  await expect(rows.nth(2)).toContainText('completed');
  await shots(page, 'history');
});
