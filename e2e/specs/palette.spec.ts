// The command palette against the real lab, in Chromium, through browser mode: go to a
// container by part of its name (past a filter and a collapsed group that hide it), switch
// views, run an action through the same confirm flow as the action bar, and the keys that
// open it (Ctrl+K, Ctrl+Shift+P; in a terminal only Ctrl+Shift+P).
import { PalettePage } from '../pages/palettePage';
import { StatsPage } from '../pages/statsPage';
import { TerminalPage } from '../pages/terminalPage';
import { expect, test } from '../support/fixtures';

test.describe.configure({ mode: 'serial' });

/** A lab container whose name no other lab container contains. */
const TARGET = 'payments-ledger-2';

test('Ctrl+K, part of a name, Enter: that container is selected in the grid, even behind a filter and a collapsed group', async ({ fleet, page }) => {
  await expect(fleet.row(TARGET)).toBeVisible({ timeout: 20_000 });
  // Hide it twice over: every group collapsed, and a filter it does not pass.
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await fleet.search('search-');
  await expect(fleet.row(TARGET)).toHaveCount(0);

  const palette = new PalettePage(page);
  await fleet.grid.focus();
  await palette.open('Control+K');
  await palette.search('ledger-2', TARGET);
  await expect(palette.input).toHaveAttribute('aria-expanded', 'true');
  const activeId = await palette.active().getAttribute('id');
  await expect(palette.input).toHaveAttribute('aria-activedescendant', activeId!);
  await expect(palette.input).toHaveAttribute('aria-controls', (await palette.list.getAttribute('id'))!);
  await page.screenshot({ path: 'e2e/out/palette.png' });
  await palette.runActive();

  await expect(fleet.row(TARGET)).toHaveAttribute('aria-selected', 'true');
  await expect(fleet.row(TARGET)).toBeInViewport();
  await expect(fleet.filter).toHaveValue('');
  await expect(fleet.grid).toBeFocused();
  await expect(page.getByRole('region', { name: 'Selected container' })).toContainText(TARGET);
});

test('Ctrl+K, "top", Enter shows the Top view; the command shows its key; Audit and Containers the same way', async ({ fleet, page }) => {
  await expect(fleet.row(TARGET)).toBeVisible({ timeout: 20_000 });
  const palette = new PalettePage(page);
  const stats = new StatsPage(page);
  await fleet.grid.focus();
  await palette.open('Control+K');
  await palette.search('top', 'Show Top');
  await expect(palette.active().locator('kbd')).toHaveText('t');
  await palette.runActive();
  await expect(stats.top).toBeVisible();
  await expect(stats.topTab).toHaveAttribute('aria-selected', 'true');
  await expect(stats.top).toBeFocused();

  await palette.open();
  await palette.search('audit', 'Show Audit');
  await palette.runActive();
  await expect(page.getByRole('grid', { name: 'Audit' })).toBeFocused();

  // And back, with the keyboard alone.
  await palette.open('Control+Shift+P');
  await palette.search('containers', 'Show Containers');
  await palette.runActive();
  await expect(fleet.grid).toBeVisible();
});

test('Ctrl+Shift+P opens it; arrows move, Escape gives the keyboard back; stop asks first, like the action bar', async ({ fleet, page }) => {
  await expect(fleet.row(TARGET)).toBeVisible({ timeout: 20_000 });
  await fleet.select(TARGET);
  const palette = new PalettePage(page);

  await palette.open('Control+Shift+P');
  // Before typing: the commands, the selected container's among them, each with its key.
  await expect(palette.options.filter({ hasText: `Stop ${TARGET}` }).locator('kbd')).toHaveText('x');
  await page.screenshot({ path: 'e2e/out/palette-commands.png' });
  const first = await palette.active().getAttribute('id');
  await page.keyboard.press('ArrowDown');
  await expect(palette.input).not.toHaveAttribute('aria-activedescendant', first!);
  await page.keyboard.press('ArrowUp');
  await expect(palette.input).toHaveAttribute('aria-activedescendant', first!);
  await palette.close();
  await expect(fleet.grid).toBeFocused();

  await palette.open();
  await palette.search(`stop ${TARGET}`, `Stop ${TARGET}`);
  await palette.runActive();
  const confirm = page.getByRole('alertdialog', { name: new RegExp(`^Stop ${TARGET} on `) });
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(fleet.grid).toBeFocused();
  await expect(fleet.row(TARGET)).toContainText('running');
});

test('in a terminal, Ctrl+K stays with the shell and Ctrl+Shift+P opens the palette', async ({ fleet, page }) => {
  await expect(fleet.row(TARGET)).toBeVisible({ timeout: 20_000 });
  await fleet.select(TARGET);
  const palette = new PalettePage(page);
  const term = new TerminalPage(page);

  // Open the shell from the palette too.
  await palette.open();
  await palette.search(`shell in ${TARGET}`, `Open a shell in ${TARGET}`);
  await palette.runActive();
  await term.expectOpen();
  const textarea = term.pane().locator('.xterm-helper-textarea');
  await expect(textarea).toBeFocused();

  await page.keyboard.press('Control+K');
  // Nothing to wait for when nothing happens: a round trip through the shell shows the key was handled there.
  await term.run('echo fd-palette-$((6*7))');
  await expect.poll(() => term.text(), { timeout: 10_000 }).toContain('fd-palette-42');
  await expect(palette.dialog).toHaveCount(0);

  await textarea.focus();
  await palette.open('Control+Shift+P');
  await palette.close();
  await expect(textarea).toBeFocused();

  await term.tab(new RegExp(TARGET)).press('Delete');
  await expect(term.tabs).toHaveCount(0);
});
