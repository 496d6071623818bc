// Terminals against the real lab, in Chromium, through browser mode: container shells (docker
// exec over TLS), host shells (SSH with known_hosts checks), resize, and sessions that end.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { FleetPage } from '../pages/fleetPage';
import { TerminalPage } from '../pages/terminalPage';
import { startConsole } from '../support/console';
import { expect, test } from '../support/fixtures';
import { dockerCli, lab, labHost } from '../support/lab';

test.describe.configure({ mode: 'serial' });

const CONTAINER = 'payments-api-1';
/** Files this spec writes next to the lab's fleet file (so its relative pki/ paths resolve). */
const scratch: string[] = [];

test.afterAll(() => {
  for (const file of scratch) rmSync(file, { force: true });
});

/** Opens the container's shell from the grid (select the row, Enter) and waits until it answers. */
async function containerShell(fleet: FleetPage, term: TerminalPage, name: string): Promise<void> {
  await term.openFromGrid(fleet, name);
  await ready(term);
}

/** Opens an SSH shell on a host from the hosts panel. */
async function hostShell(fleet: FleetPage, host: string): Promise<void> {
  await fleet.host(host).click();
  await fleet.page.getByRole('button', { name: `SSH shell on ${host}` }).click();
}

/** The shell runs commands (its prompt may differ: busybox sh, bash…). */
async function ready(term: TerminalPage): Promise<void> {
  const marker = `fd-ready-${Date.now() % 100_000}`;
  await term.run(`echo ${marker}`);
  await term.expectText(new RegExp(`^${marker}$`, 'm'), 20_000);
}

/** A copy of the lab's fleet file whose hosts use `knownHosts` as their known_hosts file. */
function fleetCopy(tag: string, knownHosts: string): { fleetFile: string; knownHostsFile: string } {
  const { dir, fleetFile } = lab();
  const stamp = `${tag}-${process.pid}-${Date.now()}`;
  const knownHostsFile = path.join(dir, `e2e-term-known_hosts-${stamp}`);
  const copy = path.join(dir, `e2e-term-fleet-${stamp}.yaml`);
  writeFileSync(knownHostsFile, knownHosts);
  const yaml = readFileSync(fleetFile, 'utf8').replace(/knownHosts: known_hosts\b/g, `knownHosts: ${path.basename(knownHostsFile)}`);
  expect(yaml).toContain(path.basename(knownHostsFile));
  writeFileSync(copy, yaml);
  scratch.push(knownHostsFile, copy);
  return { fleetFile: copy, knownHostsFile };
}

/** The lab's known_hosts line for a host, split into address, type and key. */
function knownHostsLine(host: string): { address: string; type: string; key: string } {
  const ip = labHost(host).ip;
  const line = readFileSync(path.join(lab().dir, 'known_hosts'), 'utf8').split('\n').find((l) => l.startsWith(`${ip} `));
  if (!line) throw new Error(`the lab's known_hosts has no line for ${host} (${ip})`);
  const [address, type, key] = line.trim().split(/\s+/) as [string, string, string];
  return { address, type, key };
}

async function openConsole(page: Page, fleetFile: string) {
  const running = await startConsole(fleetFile);
  await page.goto(running.launchUrl);
  return running;
}

test('a container shell runs commands in the container', async ({ fleet, page }) => {
  const term = new TerminalPage(page);
  await fleet.expectHostState('h1', 'online', 20_000);
  await containerShell(fleet, term, CONTAINER);
  await expect(term.tab(`${CONTAINER} · h1`)).toHaveAttribute('aria-selected', 'true');
  const file = `/tmp/fd-e2e-${Date.now()}`;
  try {
    await term.run(`touch ${file}`);
    await expect.poll(() => dockerCli('h1', 'exec', CONTAINER, 'test', '-e', file).then(() => true, () => false), { timeout: 15_000 }).toBe(true);
  } finally {
    await dockerCli('h1', 'exec', CONTAINER, 'rm', '-f', file).catch(() => {});
  }
});

test('stty size follows the splitter and the window', async ({ fleet, page }) => {
  const term = new TerminalPage(page);
  await fleet.expectHostState('h1', 'online', 20_000);
  await containerShell(fleet, term, CONTAINER);

  const sttyShows = async (size: { rows: number; cols: number }) => {
    await term.run('echo SIZE $(stty size)');
    await term.expectText(new RegExp(`^SIZE ${size.rows} ${size.cols}$`, 'm'));
  };

  let size = await term.expectSizeSynced();
  expect(await term.renderedRows()).toBe(size.rows);
  await sttyShows(size);

  // Taller panel: more rows.
  await term.dragSplitter(-160);
  await expect.poll(async () => (await term.size()).rows).toBeGreaterThan(size.rows);
  size = await term.expectSizeSynced();
  expect(await term.renderedRows()).toBe(size.rows);
  await sttyShows(size);

  // Narrower window: fewer columns.
  const before = size;
  await page.setViewportSize({ width: 1100, height: 900 });
  await expect.poll(async () => (await term.size()).cols).toBeLessThan(before.cols);
  size = await term.expectSizeSynced();
  await sttyShows(size);
});

test('an SSH shell on a lab host runs hostname', async ({ fleet, page }) => {
  const term = new TerminalPage(page);
  await fleet.expectHostState('h1', 'online', 20_000);
  await hostShell(fleet, 'h1');
  await term.expectOpen();
  await expect(term.tab('h1 (ssh)')).toHaveAttribute('aria-selected', 'true');
  await term.run('hostname');
  await term.expectText(/^node-h1$/m, 20_000);
});

test('two tabs, a container and a host, side by side', async ({ fleet, page }) => {
  const term = new TerminalPage(page);
  await fleet.expectHostState('h1', 'online', 20_000);
  await containerShell(fleet, term, CONTAINER);
  await term.run('ls /; cat /VERSION; ps');
  await fleet.search('');
  await hostShell(fleet, 'h1');
  await term.expectOpen();
  await term.run('hostname; uptime');
  await term.expectText(/^node-h1$/m, 20_000);
  await expect(term.tabs).toHaveCount(2);
  // Back to the container tab with the keyboard, so the picture shows both tabs and a busy pane.
  await term.focus();
  await page.keyboard.press('Control+Shift+PageUp');
  await expect(term.tab(`${CONTAINER} · h1`)).toHaveAttribute('aria-selected', 'true');
  await term.expectText(/^\s*PID\s+USER/m);
  await page.screenshot({ path: 'e2e/out/terminal-tabs.png' });
});

test('a changed host key is refused, with no way to trust it', async ({ page }) => {
  // h1's line carries h2's key: exactly what a man-in-the-middle looks like.
  const h1 = knownHostsLine('h1');
  const h2 = knownHostsLine('h2');
  const lines = readFileSync(path.join(lab().dir, 'known_hosts'), 'utf8').split('\n')
    .map((l) => (l.startsWith(`${h1.address} `) ? `${h1.address} ${h2.type} ${h2.key}` : l));
  const { fleetFile, knownHostsFile } = fleetCopy('mismatch', lines.join('\n'));
  const before = readFileSync(knownHostsFile, 'utf8');
  const running = await openConsole(page, fleetFile);
  try {
    const fleet = new FleetPage(page);
    const term = new TerminalPage(page);
    await fleet.expectHostState('h1', 'online', 20_000);
    await hostShell(fleet, 'h1');
    const refusal = term.failure();
    await expect(refusal).toContainText('Host key for h1 has CHANGED — connection refused', { timeout: 20_000 });
    await expect(refusal).toContainText('man-in-the-middle');
    await expect(refusal).toContainText(/SHA256:[A-Za-z0-9+/]{43}/);
    await expect(refusal).toHaveAttribute('role', 'alert');
    await expect(term.pane()).toHaveAttribute('data-status', 'failed');
    await expect(term.hostKeyDialog).toHaveCount(0);
    await expect(page.getByRole('button', { name: /trust/i })).toHaveCount(0);
    expect(readFileSync(knownHostsFile, 'utf8')).toBe(before);
    await page.screenshot({ path: 'e2e/out/terminal-hostkey-changed.png' });
  } finally {
    await running.stop();
  }
});

test('an unknown host key is trusted only after confirming', async ({ page }) => {
  const { fleetFile, knownHostsFile } = fleetCopy('unknown', '');
  const h1 = knownHostsLine('h1');
  const running = await openConsole(page, fleetFile);
  try {
    const fleet = new FleetPage(page);
    const term = new TerminalPage(page);
    await fleet.expectHostState('h1', 'online', 20_000);
    await hostShell(fleet, 'h1');

    // First time: look, then Cancel (which has the focus, so Enter would cancel too).
    const dialog = term.hostKeyDialog;
    await expect(dialog).toBeVisible({ timeout: 20_000 });
    await expect(dialog).toContainText(`Unknown host key for h1 (${h1.address})`);
    await expect(dialog).toContainText(/SHA256:[A-Za-z0-9+/]{43}/);
    await expect(dialog).toContainText(h1.type);
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.screenshot({ path: 'e2e/out/terminal-hostkey-unknown.png' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(term.failure()).toContainText('not trusted');
    await expect(term.pane()).toHaveAttribute('data-status', 'failed');
    expect(readFileSync(knownHostsFile, 'utf8')).toBe('');

    // Again, and this time trust it.
    await term.reconnectButton().click();
    await expect(dialog).toBeVisible({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Trust and connect' }).click();
    await term.expectOpen();
    await term.run('hostname');
    await term.expectText(/^node-h1$/m, 20_000);
    expect(existsSync(knownHostsFile)).toBe(true);
    expect(readFileSync(knownHostsFile, 'utf8')).toContain(h1.key);
  } finally {
    await running.stop();
  }
});

test('stopping the container ends its session cleanly, with Reconnect', async ({ fleet, page }) => {
  const term = new TerminalPage(page);
  const name = `fd-e2e-stop-${Date.now()}`;
  await dockerCli('h1', 'run', '-d', '--name', name, '--network', 'br0', '198.18.0.1:5000/lab/app:1.0');
  try {
    await fleet.expectHostState('h1', 'online', 20_000);
    await fleet.search(name);
    await expect(fleet.row(name)).toBeVisible({ timeout: 15_000 });
    await containerShell(fleet, term, name);
    await dockerCli('h1', 'stop', '-t', '1', name);
    await expect(term.ended()).toBeVisible({ timeout: 30_000 });
    await expect(term.ended()).toContainText('Session ended');
    await expect(term.reconnectButton()).toBeVisible();
    await expect(term.pane()).toHaveAttribute('data-status', 'exited');
    await expect(term.tab(`${name} · h1`)).toContainText(/exit|ended/);
    // The grid already knows why: the container is no longer running.
    await expect(fleet.row(name)).toContainText('exited');
    await page.screenshot({ path: 'e2e/out/terminal-ended.png' });
  } finally {
    await dockerCli('h1', 'rm', '-f', name).catch(() => {});
  }
});
