// Live stats against the real lab, in Chromium, through browser mode: a CPU-bound container
// shows up first in the fleet Top view, and its charts fill from history and ticks.
import { StatsPage } from '../pages/statsPage';
import { expect, test } from '../support/fixtures';
import { dockerCli } from '../support/lab';

test.describe.configure({ mode: 'serial' });

const IMAGE = '198.18.0.1:5000/lab/app:1.0';

test('a container running `yes` under --cpus 0.5 is first by CPU in the Top view, and its charts draw', async ({ fleet, page }) => {
  test.setTimeout(120_000);
  await fleet.expectHostState('h1', 'online', 20_000);
  const name = `fd-e2e-busy-${process.pid}-${Date.now() % 100_000}`;
  await dockerCli('h1', 'run', '-d', '--name', name, '--network', 'br0', '--cpus', '0.5', '--memory', '64m', IMAGE, 'sh', '-c', 'yes > /dev/null');
  try {
    const stats = new StatsPage(page);
    await stats.openTop();
    await expect(stats.header('CPU')).toHaveAttribute('aria-sort', 'descending');
    // Sampled at the slow rate until it is on screen, then every second: first within ~15 s.
    await expect(stats.topRows().first()).toContainText(name, { timeout: 15_000 });
    const first = stats.topRows().first();
    await expect(first.getByRole('gridcell', { name: 'h1', exact: true })).toBeVisible();
    // docker stats would read 50 % ± 10 for --cpus 0.5.
    await expect(async () => {
      const cpu = Number((await first.getByRole('gridcell').nth(3).innerText()).replace(/[^\d.]/g, ''));
      expect(cpu).toBeGreaterThanOrEqual(35);
      expect(cpu).toBeLessThanOrEqual(65);
    }).toPass({ timeout: 10_000 });
    await page.screenshot({ path: 'e2e/out/stats-top.png' });

    // Sorting by another column re-orders and says so.
    await stats.sortBy('Memory');
    await expect(stats.header('Memory')).toHaveAttribute('aria-sort', 'descending');
    await expect(stats.header('CPU')).toHaveAttribute('aria-sort', 'none');
    await stats.sortBy('CPU');
    await expect(stats.topRows().first()).toContainText(name);

    // The container's charts: history first, then a point a second.
    await stats.openDetailFromTop(name);
    for (const chart of ['CPU', 'Memory', 'Block I/O', 'Network'] as const) await expect(stats.chart(chart)).toBeVisible();
    await expect(stats.chart('Memory')).toContainText('limit 64.0 MiB');
    await expect(stats.detail).toContainText(/\b([5-9]|\d{2,}) points/, { timeout: 15_000 });
    await page.screenshot({ path: 'e2e/out/stats-detail.png' });
    await stats.closeDetail();
  } finally {
    await dockerCli('h1', 'rm', '-f', name);
  }
});

test('the containers grid shows CPU and memory for rows on screen', async ({ fleet, page }) => {
  await fleet.expectHostState('h1', 'online', 20_000);
  const stats = new StatsPage(page);
  await expect(stats.containersTab).toHaveAttribute('aria-selected', 'true');
  await fleet.search('payments-ledger-1');
  const row = fleet.row('payments-ledger-1');
  await expect(row).toBeVisible({ timeout: 20_000 });
  const cells = row.getByRole('gridcell');
  // CPU reads "0.4 %"; memory "<n> % <usage>/<limit>" (lab containers run under --memory limits).
  await expect(cells.nth(8)).toHaveText(/^\d+(\.\d+)? %$/, { timeout: 15_000 });
  await expect(cells.nth(9)).toHaveText(/^\d+(\.\d+)? %\s*\d+(\.\d+)?[BKMGT]\/\d+(\.\d+)?[BKMGT]$/, { timeout: 15_000 });
});

test('the host detail charts CPU against ncpu × 100 % and memory against the host total, with history', async ({ fleet, page }) => {
  await fleet.expectHostState('h1', 'online', 20_000);
  // Main keeps a host point every 3 s while stats are watched; after 8 s it holds at least two.
  await page.waitForTimeout(8_000);
  await fleet.host('h1').click();
  // The charts open with that history: ticks alone would add one point in the first 3 s.
  await expect(async () => expect(Number(await page.getByRole('group', { name: 'h1 load' }).getAttribute('data-points'))).toBeGreaterThanOrEqual(2)).toPass({ timeout: 1_500 });
  const cpu = page.getByRole('figure', { name: 'h1 CPU' });
  const mem = page.getByRole('figure', { name: 'h1 memory' });
  // Lab hosts have 2 CPUs: capacity reads "of 200 %".
  await expect(cpu).toContainText(/\d+(\.\d+)? % of 200 %/, { timeout: 15_000 });
  await expect(mem).toContainText(/ of \d+(\.\d+)? GiB/);
  await page.waitForTimeout(4_000);
  await page.getByRole('region', { name: 'Hosts' }).screenshot({ path: 'e2e/out/stats-host.png' });
});
