// The audit log end to end on the lab, in Chromium, through browser mode: a stop from the console
// (select, Stop, confirm) and a restart from the fleetdeck CLI, sharing the console's data
// directory, both show in the Audit view (the CLI's while the view is open, without a reload) and
// in `fleetdeck audit --json`, with user, source, target and result. Two throwaway containers of
// its own on h1, removed afterwards.
import os from 'node:os';
import type { AuditEntry } from '../../shared/audit';
import { AuditPage } from '../pages/auditPage';
import { fleetdeckWith } from '../support/cli';
import { testDataDir } from '../support/dataDir';
import { expect, test } from '../support/fixtures';
import { dockerCli, lab } from '../support/lab';

test.describe.configure({ mode: 'serial' });

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const SERVICE = 'audit-e2e';
const tag = `${process.pid}-${Date.now().toString(36)}`;
const STOPPED = `fd-e2e-audit-stop-${tag}`;
const RESTARTED = `fd-e2e-audit-cli-${tag}`;
const USER = os.userInfo().username;
/** The CLI with the console's data directory: what one appends, the other reads. */
const fleetdeck = (...args: string[]) => fleetdeckWith({ FLEETDECK_DATA_DIR: testDataDir() }, ...args);

test.beforeAll(async () => {
  for (const name of [STOPPED, RESTARTED]) {
    await dockerCli('h1', 'run', '-d', '--name', name, '--network', 'br0', '--label', `com.example.service=${SERVICE}`, IMAGE);
  }
});

test.afterAll(async () => {
  for (const name of [STOPPED, RESTARTED]) await dockerCli('h1', 'rm', '-f', name).catch(() => undefined);
});

test('a stop from the console and a restart from the CLI show in the Audit view, live, with user, source, target and result', async ({ fleet, page }) => {
  test.setTimeout(120_000);
  const audit = new AuditPage(page);
  await fleet.expectHostState('h1', 'online', 20_000);

  // The console: select, Stop, confirm.
  await fleet.search(STOPPED);
  await expect(fleet.row(STOPPED)).toBeVisible({ timeout: 20_000 });
  await fleet.select(STOPPED);
  await fleet.act('Stop');
  await expect(fleet.status.filter({ hasText: `Stopped ${STOPPED} on h1` })).toBeVisible({ timeout: 30_000 });
  await expect(fleet.row(STOPPED)).toContainText('exited');

  await audit.open();
  const stop = audit.row({ user: USER, source: 'console', action: 'stop', host: 'h1', container: STOPPED, result: 'ok' });
  await expect(stop).toHaveCount(1);
  await expect(stop).toContainText(`h1 / ${STOPPED} (${SERVICE})`);

  // The CLI, while the view is open: its entry arrives without a reload.
  const restart = audit.row({ user: USER, source: 'cli', action: 'restart', host: 'h1', container: RESTARTED, result: 'ok' });
  await expect(restart).toHaveCount(0);
  const cli = await fleetdeck('--fleet', lab().fleetFile, 'restart', '--container', `h1/${RESTARTED}`, '--json');
  expect(cli.stderr).toBe('');
  expect(cli.code).toBe(0);
  await expect(restart).toHaveCount(1, { timeout: 10_000 });
  // Newest first: the CLI's restart comes before the console's stop.
  const order = await audit.rows().allInnerTexts();
  expect(order.findIndex((t) => t.includes(RESTARTED))).toBeLessThan(order.findIndex((t) => t.includes(STOPPED)));
  await page.screenshot({ path: 'e2e/out/audit-view.png' });

  // The filters: by action, by source's user and host, by result.
  await audit.filter('Action', 'restart');
  await expect(restart).toHaveCount(1);
  await expect(stop).toHaveCount(0);
  await audit.filter('Action', 'any');
  await audit.filter('User', USER);
  await audit.filter('Host', 'h1');
  await audit.filter('Result', 'ok');
  await expect(stop).toHaveCount(1);
  await expect(restart).toHaveCount(1);
  await audit.filter('Result', 'failed');
  await expect(stop).toHaveCount(0);
  await expect(restart).toHaveCount(0);
  await audit.page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(stop).toHaveCount(1);

  // The same two actions in `fleetdeck audit --json`.
  const listed = await fleetdeck('audit', '--json');
  expect(listed.code).toBe(0);
  const entries = JSON.parse(listed.stdout) as AuditEntry[];
  expect(entries).toEqual(expect.arrayContaining([
    expect.objectContaining({ user: USER, source: 'console', action: 'stop', target: { host: 'h1', container: STOPPED, service: SERVICE }, result: 'ok' }),
    expect.objectContaining({ user: USER, source: 'cli', action: 'restart', target: { host: 'h1', container: RESTARTED, service: SERVICE }, result: 'ok' }),
  ]));

  // The console's stopped container, restored.
  await audit.containersTab.click();
  await fleet.select(STOPPED);
  await fleet.act('Start');
  await expect(fleet.row(STOPPED)).toContainText('running', { timeout: 30_000 });
});

test('the Audit grid works with the keyboard alone: rows, the Time header, oldest first', async ({ fleet, page }) => {
  await fleet.expectHostState('h1', 'online', 20_000);
  const audit = new AuditPage(page);
  await audit.open();
  await expect(audit.row({ container: STOPPED })).not.toHaveCount(0, { timeout: 20_000 });
  await audit.grid.focus();
  await page.keyboard.press('Home');
  const selected = audit.grid.locator('[role=row][aria-selected=true]');
  await expect(selected).toHaveAttribute('aria-rowindex', '2');
  await expect(audit.grid).toHaveAttribute('aria-activedescendant', (await selected.getAttribute('id'))!);
  await page.keyboard.press('ArrowDown');
  await expect(selected).toHaveAttribute('aria-rowindex', '3');

  // Up past the first row: the Time header, which flips the order.
  const time = audit.grid.getByRole('columnheader', { name: /^Time/ });
  await expect(time).toHaveAttribute('aria-sort', 'descending');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(time).toBeFocused();
  const newest = await audit.rows().first().innerText();
  await page.keyboard.press('Enter');
  await expect(time).toHaveAttribute('aria-sort', 'ascending');
  await expect(audit.rows().first()).not.toHaveText(newest);
  await page.keyboard.press('ArrowDown');
  await expect(audit.grid).toBeFocused();
});
