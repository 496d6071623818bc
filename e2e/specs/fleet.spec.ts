// The fleet view against the real lab, in Chromium, through browser mode.
import { dockerCli, dockerPs, labSh, lab } from '../support/lab';
import { expect, test } from '../support/fixtures';

test.describe.configure({ mode: 'serial' });

test('shows every host online and every container of the fleet', async ({ fleet, page }) => {
  for (const host of lab().hosts) await fleet.expectHostState(host.name, 'online', 20_000);
  const expected = (await Promise.all(lab().hosts.map((h) => dockerPs(h.name)))).flat();
  await expect(fleet.grid).toHaveAttribute('aria-rowcount', /\d+/);
  for (const c of expected) {
    await fleet.search(c.name);
    await expect(fleet.row(c.name)).toBeVisible();
  }
  await fleet.search('');
  await expect(fleet.row('payments-ledger-1')).toContainText('198.18.4.21');
  await page.screenshot({ path: 'e2e/out/fleet-view.png' });
});

test('the filter matches name, host, image, IP and service', async ({ fleet }) => {
  await expect(fleet.row('payments-ledger-1')).toBeVisible({ timeout: 20_000 });
  await fleet.search('198.18.4.22');
  await expect(fleet.containerRows()).toHaveCount(1);
  await expect(fleet.row('payments-ledger-2')).toBeVisible();
  await fleet.search('LEDGER');
  await expect(fleet.containerRows()).toHaveCount(2);
  await fleet.search('app:broken');
  await expect(fleet.containerRows()).toHaveCount((await dockerCli('h3', 'ps', '-a', '--filter', 'ancestor=198.18.0.1:5000/lab/app:broken', '-q')).trim().split('\n').length);
  await fleet.search('no-such-thing-anywhere');
  await expect(fleet.containerRows()).toHaveCount(0);
});

test('stop and start from the UI, confirmed through the docker CLI', async ({ fleet }) => {
  const name = 'payments-api-1';
  const state = async () => (await dockerCli('h1', 'inspect', '--format', '{{.State.Status}}', name)).trim();
  expect(await state()).toBe('running');
  await fleet.search(name);
  await fleet.select(name);
  await fleet.act('Stop');
  await expect(fleet.status).toContainText(`Stopped ${name} on h1`, { timeout: 30_000 });
  expect(await state()).toBe('exited');
  await expect(fleet.row(name)).toContainText('exited');
  await fleet.act('Start');
  await expect(fleet.status).toContainText(`Started ${name} on h1`, { timeout: 30_000 });
  expect(await state()).toBe('running');
  await expect(fleet.row(name)).toContainText('running');
});

test('a host whose dockerd dies turns offline within 5 s, the rest keep updating, and it comes back', async ({ fleet }) => {
  await fleet.expectHostState('h2', 'online', 20_000);
  try {
    await labSh('stop-dockerd', 'h2');
    await fleet.expectHostState('h2', 'offline', 5_000);
    // h1 still updates live while h2 is down.
    const probe = `probe-${Date.now()}`;
    await dockerCli('h1', 'run', '-d', '--name', probe, '--network', 'br0', '198.18.0.1:5000/lab/app:1.0');
    try {
      await fleet.search(probe);
      await expect(fleet.row(probe)).toBeVisible({ timeout: 2_000 });
    } finally {
      await dockerCli('h1', 'rm', '-f', probe);
    }
    await expect(fleet.row(probe)).toHaveCount(0, { timeout: 2_000 });
  } finally {
    await labSh('start-dockerd', 'h2');
  }
  await fleet.expectHostState('h2', 'online', 30_000);
});
