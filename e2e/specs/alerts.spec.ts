// The alerts UI end to end on the lab, in Chromium, through browser mode (issue 14's Acceptance):
// `docker kill` of a lab container shows exactly one "died" row in the Alerts grid, the top bar's
// unacknowledged count goes up by one, and one desktop notification is made (the page's
// Notification is a spy over the real permission, granted to the browser context), whose click
// selects that container in the Containers grid; a restart of another container through the
// console (the grid's Restart, confirmed) adds no row; Ack all brings the count to 0. Two
// throwaway containers fd-alertui-* on h1 (default network, no health check), removed afterwards;
// a fresh data directory (its alerts.jsonl), removed too.
import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { AlertsPage, clickNotification, NOTIFICATION_SPY, shownNotifications } from '../pages/alertsPage';
import { FleetPage } from '../pages/fleetPage';
import { startConsole, type RunningConsole } from '../support/console';
import { freshDataDir } from '../support/dataDir';
import { dockerCli, lab } from '../support/lab';

test.describe.configure({ mode: 'serial' });

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const SERVICE = 'alertui-e2e';
const tag = `${process.pid}-${Date.now().toString(36)}`;
const KILLED = `fd-alertui-kill-${tag}`;
const RESTARTED = `fd-alertui-restart-${tag}`;
/**
 * How long after a die the spec keeps looking for a second row or a row it should not have: main
 * decides a die after a grace of about 1.5 s (another process's audit line must be read first),
 * and its alert log is polled; 5 s is both, twice over.
 */
const SETTLE_MS = 5_000;

let dataDir: string;
let consoleUnderTest: RunningConsole;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  for (const name of [KILLED, RESTARTED]) {
    await dockerCli('h1', 'run', '-d', '--name', name, '--no-healthcheck', '--label', `com.example.service=${SERVICE}`, IMAGE);
  }
  dataDir = freshDataDir('alertui');
  consoleUnderTest = await startConsole(lab().fleetFile, dataDir);
});

test.afterAll(async () => {
  await consoleUnderTest?.stop();
  for (const name of [KILLED, RESTARTED]) await dockerCli('h1', 'rm', '-f', name).catch(() => undefined);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('docker kill shows one die row, the count up by one and one notification (its click selects the container); a restart through the console adds none; Ack all brings the count to 0', async ({ browser }) => {
  test.setTimeout(150_000);
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, permissions: ['notifications'] });
  await context.addInitScript({ content: NOTIFICATION_SPY });
  const page = await context.newPage();
  try {
    const fleet = new FleetPage(page);
    const alerts = new AlertsPage(page);
    await page.goto(consoleUnderTest.launchUrl);
    await fleet.expectHostState('h1', 'online', 30_000);
    await fleet.search('fd-alertui');
    await expect(fleet.row(KILLED)).toContainText('running', { timeout: 20_000 });
    await expect(fleet.row(RESTARTED)).toContainText('running');

    await alerts.count.click();
    await expect(alerts.grid).toBeVisible();
    await expect(page.locator('.alerts-live.is-live')).toBeVisible({ timeout: 20_000 });
    // Granted to the context: on without asking (the button asks only where nobody has answered yet).
    await expect(alerts.notifications).toHaveAttribute('aria-pressed', 'true');
    const died = alerts.row({ kind: 'died', container: KILLED });
    await expect(died).toHaveCount(0);
    // Other lab tests may raise alerts meanwhile (other containers' dies): the count must be this
    // spec's one more than before, plus exactly the other unacknowledged rows that came meanwhile.
    const othersUnacked = () => alerts.rows().filter({ has: page.getByRole('button', { name: 'Ack', exact: true }) }).filter({ hasNotText: 'fd-alertui-' }).count();
    const before = await alerts.unacked();
    const othersBefore = await othersUnacked();
    const upByOne = async () => (await alerts.unacked()) - before - ((await othersUnacked()) - othersBefore);
    const notesBefore = (await shownNotifications(page)).length;

    // The kill: one row, newest first, with its exit code; the count up by one; one notification.
    await dockerCli('h1', 'kill', KILLED);
    await expect(died).toHaveCount(1, { timeout: 20_000 });
    await page.waitForTimeout(SETTLE_MS);
    await expect(died).toHaveCount(1);
    await expect(died.getByRole('gridcell', { name: '137', exact: true })).toBeVisible();
    await expect(died.getByRole('gridcell', { name: SERVICE, exact: true })).toBeVisible();
    await expect.poll(upByOne).toBe(1);
    const notes = (await shownNotifications(page)).slice(notesBefore);
    const mine = notes.filter((n) => n.title === `${KILLED} on h1: died`);
    expect(mine, JSON.stringify(notes)).toHaveLength(1);

    // The notification's click: the Containers view, that container's row selected.
    await clickNotification(page, notesBefore + notes.indexOf(mine[0]!));
    await expect(fleet.grid).toBeVisible();
    await expect(fleet.row(KILLED)).toHaveAttribute('aria-selected', 'true');

    // A restart through the console's UI (the grid's Restart, confirmed): no row.
    await fleet.select(RESTARTED);
    await fleet.act('Restart');
    await expect(fleet.status.filter({ hasText: `Restarted ${RESTARTED} on h1` })).toBeVisible({ timeout: 40_000 });
    await page.waitForTimeout(SETTLE_MS);
    await alerts.open();
    await expect(alerts.row({ container: RESTARTED })).toHaveCount(0);
    await expect(died).toHaveCount(1);
    await expect.poll(upByOne).toBe(1);
    expect((await shownNotifications(page)).filter((n) => n.title.startsWith(`${RESTARTED} `))).toEqual([]);
    await page.screenshot({ path: 'e2e/out/alerts-view.png' });

    // The keyboard, as the other grids: Home selects the newest, ↑ from it reaches the Time header,
    // Enter there flips the order.
    await alerts.grid.focus();
    await page.keyboard.press('Home');
    const selected = alerts.grid.locator('[role=row][aria-selected=true]');
    await expect(selected).toHaveAttribute('aria-rowindex', '2');
    await expect(alerts.grid).toHaveAttribute('aria-activedescendant', (await selected.getAttribute('id'))!);
    const time = alerts.grid.getByRole('columnheader', { name: /^Time/ });
    await page.keyboard.press('ArrowUp');
    await expect(time).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(time).toHaveAttribute('aria-sort', 'ascending');
    await page.keyboard.press('Enter');
    await expect(time).toHaveAttribute('aria-sort', 'descending');
    await page.keyboard.press('ArrowDown');
    await expect(alerts.grid).toBeFocused();

    // Ack all: the count to 0, the row acked (it stays, dimmed, with who acked it).
    await alerts.ackAll.click();
    await expect(alerts.count).toHaveAttribute('aria-label', 'Alerts: 0 unacknowledged');
    await expect(died).toHaveClass(/is-acked/);
    await expect(alerts.ackButton(died)).toHaveCount(0);
    await expect(alerts.ackAll).toBeDisabled();
    await alerts.unackedOnly.click();
    await expect(died).toHaveCount(0);
  } finally {
    await context.close();
  }
});
