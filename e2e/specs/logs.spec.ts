// The log view end to end on the lab, in Chromium, through browser mode (issue 14 part 3 and its
// Acceptance): l on a container shows its lines with the ANSI colours rendered and no raw escape
// (a screenshot, e2e/out/logs-ansi.png); a service's 3 replicas merged in time order with their
// tags, equal to the replicas' `docker logs --timestamps` merged by time (the view's Download);
// a planted line found among 100,000 (tail 100,000: the count is 1, Enter brings it into view);
// follow shows new lines, scrolling up pauses it ("N new lines"), End resumes it.
// Throwaway containers fd-logui-* on h1 and h2 (default network, no health check), removed
// afterwards; a fresh data directory, removed too.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { logTimeKey } from '../../shared/logs';
import { FleetPage } from '../pages/fleetPage';
import { LogsPage } from '../pages/logsPage';
import { startConsole, type RunningConsole } from '../support/console';
import { freshDataDir } from '../support/dataDir';
import { dockerCli, lab, ROOT } from '../support/lab';

test.describe.configure({ mode: 'serial' });

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const tag = `${process.pid % 100_000}-${Date.now().toString(36).slice(-4)}`;
const ANSI = `fd-logui-ansi-${tag}`;
const SEQ = `fd-logui-seq-${tag}`;
const FOLLOW = `fd-logui-follow-${tag}`;
const SERVICE = `fd-logui-svc-${tag}`;
const REPLICAS = [
  { name: `${SERVICE}-1`, host: 'h1' },
  { name: `${SERVICE}-2`, host: 'h2' },
  { name: `${SERVICE}-3`, host: 'h1' },
] as const;
const NEEDLE = `fd-planted-needle-${tag}`;
/** The forever after a container's output: it stays running, so its log view follows. */
const STAY = 'exec sleep 1000000';

const CONTAINERS: { name: string; host: string; args: string[] }[] = [
  {
    name: ANSI, host: 'h1',
    args: ['sh', '-c', `printf '\\033[31mfd-red\\033[0m plain \\033[1;32mfd-green-bold\\033[0m \\033[38;5;208mfd-orange\\033[0m \\033[2K\\033[1Gfd-after-erase\\n'; printf 'fd-stderr-line\\n' >&2; ${STAY}`],
  },
  // 100,000 lines: 1..50,000, the needle, 50,001..99,999.
  { name: SEQ, host: 'h1', args: ['sh', '-c', `seq 1 50000; echo ${NEEDLE}; seq 50001 99999; ${STAY}`] },
  // A screenful and more, then a line every 300 ms.
  { name: FOLLOW, host: 'h1', args: ['sh', '-c', `seq -f 'warm-%g' 1 300; n=0; while true; do n=$((n+1)); echo tick-$n; sleep 0.3; done`] },
  // Each replica writes 40 lines 50 ms apart, all three at once: their lines interleave in time.
  ...REPLICAS.map((r, i) => ({
    name: r.name, host: r.host,
    args: ['sh', '-c', `for i in $(seq 1 40); do echo "replica-${i + 1} line $i"; sleep 0.05; done; ${STAY}`],
  })),
];

let dataDir: string;
let consoleUnderTest: RunningConsole;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  for (const c of CONTAINERS) {
    const labels = c.name.startsWith(SERVICE) ? ['--label', `com.example.service=${SERVICE}`, '--label', 'com.example.team=fd-logui'] : [];
    await dockerCli(c.host, 'run', '-d', '--name', c.name, '--no-healthcheck', ...labels, IMAGE, ...c.args);
  }
  dataDir = freshDataDir('logui');
  consoleUnderTest = await startConsole(lab().fleetFile, dataDir);
});

test.afterAll(async () => {
  await consoleUnderTest?.stop();
  for (const c of CONTAINERS) await dockerCli(c.host, 'rm', '-f', c.name).catch(() => undefined);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function openConsole(page: Page): Promise<{ fleet: FleetPage; logs: LogsPage }> {
  const fleet = new FleetPage(page);
  await page.goto(consoleUnderTest.launchUrl);
  await fleet.expectHostState('h1', 'online', 30_000);
  await fleet.expectHostState('h2', 'online', 30_000);
  return { fleet, logs: new LogsPage(page) };
}

test('l on a container shows its lines with the ANSI colours rendered, no raw escape, and stderr marked', async ({ page }) => {
  const { fleet, logs } = await openConsole(page);
  await fleet.search(ANSI);
  await expect(fleet.row(ANSI)).toContainText('running', { timeout: 20_000 });
  await logs.openContainer(fleet, ANSI);
  const log = page.getByRole('log', { name: `Logs: ${ANSI} on h1` });
  await expect(log).toBeFocused();
  await logs.expectLoaded();
  await expect(log).toHaveAttribute('data-lines', '2');

  const colour = log.locator('.log-row', { hasText: 'fd-red' });
  await expect(colour.locator('.ansi-red-fg')).toHaveText('fd-red');
  await expect(colour.locator('.ansi-green-fg.ansi-bold')).toHaveText('fd-green-bold');
  await expect(colour.locator('span', { hasText: /^fd-orange$/ })).toHaveCSS('color', 'rgb(255, 135, 0)');
  const text = await log.innerText();
  expect(text).toContain('fd-red plain fd-green-bold fd-orange fd-after-erase');
  expect(text).not.toMatch(/\x1b|\[\d+(;\d+)*m|\[2K|\[1G/);
  await expect(log.locator('.log-row.is-stderr')).toHaveText(/fd-stderr-line/);
  await expect(log.locator('.log-row.is-stderr')).toHaveCount(1);
  await page.screenshot({ path: path.join(ROOT, 'e2e/out/logs-ansi.png') });
});

test('a service row merges its 3 replicas in time order, each line tagged, equal to docker logs --timestamps merged', async ({ page }) => {
  const { fleet, logs } = await openConsole(page);
  await fleet.search(SERVICE);
  for (const r of REPLICAS) await expect(fleet.row(r.name)).toContainText('running', { timeout: 20_000 });
  await logs.openService(fleet, SERVICE);
  const log = page.getByRole('log', { name: `Logs: service ${SERVICE} (3 replicas)` });
  await expect(log).toBeVisible();
  await logs.expectLoaded();
  await expect(log).toHaveAttribute('data-lines', String(40 * REPLICAS.length), { timeout: 20_000 });

  // What the daemons say, merged by time (then by replica, as the view's sources come).
  const expected: { time: string; tag: string; line: string }[] = [];
  for (const r of REPLICAS) {
    const out = await dockerCli(r.host, 'logs', '--timestamps', r.name);
    for (const l of out.trim().split('\n')) {
      const space = l.indexOf(' ');
      expected.push({ time: l.slice(0, space), tag: `${r.name}·${r.host}`, line: l.slice(space + 1) });
    }
  }
  expected.sort((a, b) => (logTimeKey(a.time) < logTimeKey(b.time) ? -1 : logTimeKey(a.time) > logTimeKey(b.time) ? 1 : 0));
  // They really interleave: a merge that put one replica after another would not pass.
  expect(new Set(expected.slice(0, 20).map((e) => e.tag)).size).toBeGreaterThan(1);

  const downloading = page.waitForEvent('download');
  await logs.button('Download').click();
  const file = await (await downloading).path();
  const got = readFileSync(file, 'utf8').trim().split('\n').map((l) => {
    const [time, lineTag, , ...rest] = l.split(' ');
    return { time: time!, tag: lineTag!, line: rest.join(' ') };
  });
  expect(got.map((g) => `${logTimeKey(g.time)} ${g.tag} ${g.line}`)).toEqual(expected.map((e) => `${logTimeKey(e.time)} ${e.tag} ${e.line}`));

  // On screen: rows in time order, with the three replicas' tags.
  const times = await log.locator('.log-row .log-time').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
  expect(times.length).toBeGreaterThan(10);
  expect(times.map(logTimeKey)).toEqual([...times.map(logTimeKey)].sort());
  await log.focus();
  await page.keyboard.press('Home');
  await expect.poll(async () => new Set(await log.locator('.log-tag').allInnerTexts()).size).toBe(3);

  // A replica toggled off: its lines go from the view, and come back.
  const off = `${REPLICAS[1].name}·${REPLICAS[1].host}`;
  await logs.source(off).click();
  await expect(logs.source(off)).toHaveAttribute('aria-pressed', 'false');
  await expect(log.locator('.log-tag', { hasText: off })).toHaveCount(0);
  await logs.source(off).click();
  await expect(log.locator('.log-tag', { hasText: off }).first()).toBeVisible();
});

test('search finds the one planted line among 100,000 (tail 100,000): the count is 1 and Enter brings it into view', async ({ page }) => {
  test.setTimeout(150_000);
  const { fleet, logs } = await openConsole(page);
  await fleet.search(SEQ);
  await expect(fleet.row(SEQ)).toContainText('running', { timeout: 20_000 });
  await logs.openContainer(fleet, SEQ);
  const log = page.getByRole('log', { name: `Logs: ${SEQ} on h1` });
  await logs.expectLoaded();
  await page.getByLabel('Tail').selectOption('100000');
  await expect(log).toHaveAttribute('data-lines', '100000', { timeout: 90_000 });
  await logs.expectLoaded();

  await logs.search.fill(NEEDLE);
  await expect(logs.count).toHaveText('1 match');
  await expect(log.locator('.log-row', { hasText: NEEDLE })).toHaveCount(0); // far above the newest lines
  await page.keyboard.press('Enter');
  await expect(logs.count).toHaveText('1 of 1');
  const row = log.locator('.log-row.is-current', { hasText: NEEDLE });
  await expect(row).toBeInViewport();
  await expect(row.locator('.log-hit')).toHaveText(NEEDLE);
  // Its neighbours are the lines around it.
  await expect(log.locator('.log-text', { hasText: /^50000$/ })).toBeInViewport();
  await expect(log.locator('.log-text', { hasText: /^50001$/ })).toBeInViewport();
  // Filter mode: that line alone.
  await logs.button('Only matching').click();
  await expect.poll(() => logs.texts()).toEqual([NEEDLE]);
});

test('follow shows new lines; scrolling up pauses it with "N new lines"; End resumes it', async ({ page }) => {
  const { fleet, logs } = await openConsole(page);
  await fleet.search(FOLLOW);
  await expect(fleet.row(FOLLOW)).toContainText('running', { timeout: 20_000 });
  await logs.openContainer(fleet, FOLLOW);
  const log = page.getByRole('log', { name: `Logs: ${FOLLOW} on h1` });
  await logs.expectLoaded();
  await expect(log).toHaveAttribute('data-state', 'following');
  await expect(logs.follow).toHaveAttribute('aria-pressed', 'true');

  const lastTick = async () => Number(/tick-(\d+)/.exec((await logs.texts()).filter((t) => t.startsWith('tick-')).at(-1) ?? '')?.[1] ?? 0);
  const first = await lastTick();
  await expect.poll(lastTick, { timeout: 10_000 }).toBeGreaterThan(first + 2);
  const beforePause = await lastTick();

  await logs.wheel(-800);
  await expect(logs.follow).toHaveAttribute('aria-pressed', 'false');
  await expect(logs.paused).toHaveText(/^[1-9][\d,]* new lines? · End to follow$/, { timeout: 10_000 });
  const newest = async () => (await logs.texts()).filter((t) => t.startsWith('tick-')).at(-1) ?? '';
  await expect(log.locator('.log-text', { hasText: new RegExp(`^${await newest()}$`) })).not.toBeInViewport();
  // Paused: the view stays where it is while lines come, and counts them.
  const scrollTop = () => log.evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop);
  const held = await scrollTop();
  const newLines = async () => Number((await logs.paused.innerText()).replace(/[^\d].*$/s, ''));
  const counted = await newLines();
  await expect.poll(newLines, { timeout: 10_000 }).toBeGreaterThan(counted);
  expect(await scrollTop()).toBe(held);

  await log.focus();
  await page.keyboard.press('End');
  await expect(logs.follow).toHaveAttribute('aria-pressed', 'true');
  await expect(logs.paused).toBeHidden();
  // The newest lines in view again, and still coming.
  await expect.poll(lastTick, { timeout: 10_000 }).toBeGreaterThan(beforePause + counted);
});
