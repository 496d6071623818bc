// The Images view on the lab, in Chromium, through browser mode, with the lab's registry
// credentials where a user's machine keeps them (fleet file passwordEnv, DOCKER_CONFIG, the
// credential helper): both lab registries (basic and token auth) list lab/app's tags; each tag's
// digest is the one the daemons record (RepoDigests); the number of containers running each tag
// matches `docker ps --filter ancestor=…` over the hosts, also after a container of its own starts
// from one and stops; Enter on a tag shows its containers in the Containers grid; the container
// detail shows the digest it runs and that its tag still points to it. The view is reached from the
// palette and works by keyboard. One throwaway container on
// h2, removed after.
import { test as base, expect } from '@playwright/test';
import { FleetPage } from '../pages/fleetPage';
import { ImagesPage } from '../pages/imagesPage';
import { PalettePage } from '../pages/palettePage';
import { startConsole, type RunningConsole } from '../support/console';
import { dockerCli, lab, labRegistryEnv } from '../support/lab';

const test = base.extend<{ fleet: FleetPage; images: ImagesPage }, { registryConsole: RunningConsole }>({
  registryConsole: [
    async ({}, use) => {
      const running = await startConsole(lab().fleetFile, undefined, labRegistryEnv());
      await use(running);
      await running.stop();
    },
    { scope: 'worker', timeout: 150_000 },
  ],
  fleet: async ({ page, registryConsole }, use) => {
    await page.goto(registryConsole.launchUrl);
    await use(new FleetPage(page));
  },
  images: async ({ page }, use) => use(new ImagesPage(page)),
});

test.describe.configure({ mode: 'serial' });

const HOSTS = ['h1', 'h2', 'h3'] as const;
const REPOSITORY = 'lab/app';
const THROWAWAY = `fd-e2e-images-${process.pid}-${Date.now().toString(36)}`;

/** Containers (running ones, or all) of the image `reference` names, over the lab's hosts, as the docker CLI counts them. */
async function dockerCount(reference: string, all = false): Promise<number> {
  let n = 0;
  for (const host of HOSTS) n += (await dockerCli(host, 'ps', '-q', ...(all ? ['-a'] : []), '--filter', `ancestor=${reference}`)).trim().split('\n').filter(Boolean).length;
  return n;
}

/** The digest a daemon records for `reference` in its registry (RepoDigests), from a host that has it. */
async function daemonDigest(reference: string): Promise<string> {
  const name = reference.slice(0, reference.lastIndexOf(':'));
  for (const host of HOSTS) {
    const out = await dockerCli(host, 'image', 'inspect', '--format', '{{json .RepoDigests}}', reference).catch(() => '');
    const digest = (JSON.parse(out || '[]') as string[]).find((d) => d.startsWith(`${name}@`));
    if (digest) return digest.slice(name.length + 1);
  }
  throw new Error(`no lab host has ${reference} with a repo digest`);
}

const short = (digest: string) => `sha256:${digest.slice('sha256:'.length, 'sha256:'.length + 12)}`;

test.afterAll(async () => {
  await dockerCli('h2', 'rm', '-f', THROWAWAY).catch(() => undefined);
});

test('both lab registries list their tags, each with the digest the daemons record', async ({ fleet, images }) => {
  test.setTimeout(120_000);
  await fleet.expectHostState('h1', 'online', 20_000);
  await images.open();
  const { registry, tokenRegistry } = lab();
  await expect(images.registry(registry.host)).toBeVisible({ timeout: 20_000 });
  await expect(images.registry(tokenRegistry.host)).toBeVisible();
  await expect(images.errors()).toHaveCount(0, { timeout: 20_000 });
  // Token auth and credentials from DOCKER_CONFIG through the helper: listed like the other.
  await expect(images.registry(tokenRegistry.host)).toContainText('credentials: credential helper');
  await expect(images.registry(registry.host)).toContainText('credentials: fleet file');
  // The fleet runs lab/app, so both registries' lab/app start open.
  await expect(images.repository(REPOSITORY)).toHaveCount(2);

  for (const [tag, reference] of [...Object.entries(lab().images), ...Object.entries(lab().tokenImages)]) {
    const row = images.tag(tag, reference);
    await expect(row, reference).toHaveCount(1, { timeout: 20_000 });
    if (reference.startsWith(registry.host)) await expect(row.locator('.img-digest-text')).toHaveText(short(await daemonDigest(reference)));
    else await expect(row.locator('.img-digest-text')).toHaveText(/^sha256:[0-9a-f]{12}$/);
    await expect(row.locator('.img-created')).toHaveText(/ago$/);
    await expect(row.locator('.img-size')).toHaveText(/\d/);
  }
});

test('how many containers run a tag matches docker ps, also as a container starts from it and stops', async ({ fleet, images }) => {
  test.setTimeout(150_000);
  await fleet.expectHostState('h2', 'online', 20_000);
  await images.open();
  const refresh = images.page.getByRole('button', { name: 'Refresh' });
  const counted = async () => {
    const out: Record<string, number> = {};
    for (const [tag, reference] of Object.entries(lab().images)) out[tag] = await images.runningCount(images.tag(tag, reference));
    return out;
  };
  const expected = async () => {
    const out: Record<string, number> = {};
    for (const [tag, reference] of Object.entries(lab().images)) out[tag] = await dockerCount(reference);
    return out;
  };
  /** Asks again until the view and the CLI say the same (other specs' containers may come and go meanwhile). */
  const agree = async () => {
    let last: Record<string, number> = {};
    await expect.poll(async () => {
      await refresh.click();
      const [ui, cli] = [await counted(), await expected()];
      last = cli;
      return JSON.stringify(ui) === JSON.stringify(cli) ? '' : `view ${JSON.stringify(ui)} vs docker ps ${JSON.stringify(cli)}`;
    }, { timeout: 45_000, intervals: [2_000] }).toBe('');
    return last;
  };

  const before = await agree();
  expect(Object.values(before).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  await images.page.screenshot({ path: 'e2e/out/images-view.png' });

  const reference = lab().images['1.1']!;
  await dockerCli('h2', 'run', '-d', '--name', THROWAWAY, '--network', 'br0', '--label', 'com.example.service=images-e2e', reference);
  const started = await agree();
  expect(started['1.1']).toBe(before['1.1']! + 1);
  await expect(images.tag('1.1', reference).locator('.img-running-hosts')).toContainText('h2');

  await dockerCli('h2', 'stop', '-t', '1', THROWAWAY);
  const stopped = await agree();
  expect(stopped['1.1']).toBe(before['1.1']);
  await expect(images.tag('1.1', reference)).toContainText(`${(await dockerCount(reference, true)) - stopped['1.1']!} not running`);
});

test('from the palette, by keyboard: the Images grid folds, and Enter on a tag shows its containers in the Containers grid; the detail shows the digest it runs', async ({ fleet, images, page }) => {
  await fleet.expectHostState('h1', 'online', 20_000);
  const palette = new PalettePage(page);
  await fleet.grid.focus();
  await palette.open();
  await palette.search('images', 'Show Images');
  await palette.runActive();
  await expect(images.grid).toBeFocused();

  // ← closes the first registry, → opens it again.
  await page.keyboard.press('Home');
  const first = images.registry(lab().registry.host);
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(first).toHaveAttribute('aria-expanded', 'false');
  await expect(images.repository(REPOSITORY)).toHaveCount(1);
  await page.keyboard.press('ArrowRight');
  await expect(first).toHaveAttribute('aria-expanded', 'true');
  await expect(images.repository(REPOSITORY)).toHaveCount(2);

  const reference = lab().images['1.0']!;
  const row = images.tag('1.0', reference);
  await expect(row).toHaveCount(1, { timeout: 20_000 });
  await expect.poll(() => images.runningCount(row), { timeout: 20_000 }).toBeGreaterThan(0);

  // By keyboard: Home, then down to the tag.
  await images.grid.focus();
  await page.keyboard.press('Home');
  const selected = images.grid.locator('[role=row][aria-selected=true]');
  for (let i = 0; i < 20 && (await selected.locator(`[title="${reference}"]`).count()) === 0; i++) await page.keyboard.press('ArrowDown');
  await expect(selected.locator(`[title="${reference}"]`)).toHaveCount(1);
  await page.keyboard.press('Enter');

  await expect(fleet.filter).toHaveValue(reference);
  await expect(fleet.grid).toBeFocused();
  let created = 0;
  for (const host of HOSTS) created += (await dockerCli(host, 'ps', '-a', '--format', '{{.Image}}')).split('\n').filter((i) => i === reference).length;
  await expect(fleet.containerRows()).toHaveCount(created);

  const detail = page.getByRole('region', { name: 'Selected container' });
  await expect(detail).toContainText(`digest${short(await daemonDigest(reference))}`);
  await expect(detail).toContainText('current: its tag still points to it');
  await expect(fleet.containerRows().filter({ hasText: 'outdated' })).toHaveCount(0);
});
