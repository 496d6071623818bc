// Issue 15, under a flood: `yes` in a container shell on the lab. Main skips what the renderer
// cannot draw and sends the session's screen instead; the tab says so ("skipped 12.3 MB", also
// its accessible description), the scrollback holds the flood's last lines, Ctrl-C gives the
// prompt back within a couple of seconds, and keystrokes echo. Saves e2e/out/terminal-skipped.png
// (light, Playwright's default scheme) and terminal-skipped-dark.png right after the skip.
import { skippedMark, TerminalPage, TerminalProbe, withTerminalProbe } from '../pages/terminalPage';
import { expect, test } from '../support/fixtures';
import { dockerCli } from '../support/lab';

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const name = `fd-term2-flood-${Date.now() % 1_000_000}`;
/**
 * Ctrl-C to prompt. The issue's target (< 1 s) is bench:terminal's to measure on a quiet lab;
 * here, with other helpers' floods and builds on 2 cores (load ~10), it measured 2.5-4.2 s,
 * polled every 50 ms. The bound says the prompt comes back promptly, not after a backlog drains.
 */
const CTRL_C_MAX_MS = 10_000;
/** The mark's least life after the last skip (renderer/features/terminal/terminalInstance.ts). */
const SKIP_MARK_MIN_MS = 5_000;

test.beforeAll(async () => {
  await dockerCli('h1', 'run', '-d', '--name', name, '--network', 'br0', IMAGE);
});
test.afterAll(async () => {
  await dockerCli('h1', 'rm', '-f', name).catch(() => {});
});

test('a yes flood is skipped ahead: the tab marks it, the scrollback holds its last lines, Ctrl-C and echo answer', async ({ fleet, page, console: running }) => {
  await page.goto(withTerminalProbe(running.launchUrl));
  const term = new TerminalPage(page);
  const probe = new TerminalProbe(page);
  await fleet.expectHostState('h1', 'online', 20_000);
  await term.openFromGrid(fleet, name);
  const marker = `fd-ready-${Date.now() % 100_000}`;
  await term.run(`echo ${marker}`);
  await term.expectText(new RegExp(`^${marker}$`, 'm'), 20_000);
  const tab = term.tab(`${name} · h1`);
  await expect(skippedMark(tab)).toHaveCount(0);

  await term.run('yes');
  await expect(tab).toHaveAccessibleDescription(/\d(\.\d)? [kMG]?B was skipped.*last lines are in the scrollback/, { timeout: 20_000 });
  await expect(skippedMark(tab)).toHaveText(/skipped \d+(\.\d)? [kMG]?B/);
  await page.screenshot({ path: 'e2e/out/terminal-skipped.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'e2e/out/terminal-skipped-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForTimeout(2_000); // a few seconds of flood in all

  const t0 = Date.now();
  await term.focus();
  await page.keyboard.press('Control+C');
  // The prompt is back when the buffer's last line is a prompt after y lines (and ^C).
  let lines: string[] = [];
  await expect.poll(async () => {
    lines = (await probe.lines(60)).lines.filter((l) => l !== '');
    return lines.at(-1) ?? '';
  }, { timeout: 10_000, intervals: [50] }).toMatch(/# ?$/);
  const ctrlC = Date.now() - t0;
  test.info().annotations.push({ type: 'Ctrl-C to prompt', description: `${ctrlC} ms` });
  expect(ctrlC).toBeLessThan(CTRL_C_MAX_MS);
  const before = lines.slice(-12, -1).filter((l) => l !== '^C' && !l.endsWith('^C'));
  expect(before.length).toBeGreaterThan(5);
  expect(before.every((l) => l === 'y')).toBe(true);

  // Scrolled up, the scrollback above the screen is the flood's: frames carry the screen alone,
  // and the full snapshot follows once the flood has been over for SKIP_AHEAD.calmMs.
  let buffer = await probe.lines();
  await expect.poll(async () => (buffer = await probe.lines()).base, { timeout: 5_000, intervals: [50] }).toBeGreaterThan(0);
  const above = buffer.lines.slice(Math.max(0, buffer.base - 50), buffer.base);
  expect(above.filter((l) => l === 'y').length).toBeGreaterThan(40);
  await term.focus();
  await page.keyboard.press('Shift+PageUp');
  await expect.poll(async () => (await term.text()).split('\n').filter((l) => l === 'y').length).toBeGreaterThan(buffer.rows / 2);
  await page.keyboard.press('Shift+PageDown');

  // The mark outlived Ctrl-C (typed within seconds of the last skip); a keystroke once the
  // flood has been over for a few seconds clears it.
  await expect(skippedMark(tab)).toBeVisible();
  await page.waitForTimeout(SKIP_MARK_MIN_MS + 500);

  // Keystrokes echo, and the shell runs them.
  await term.run('echo fd-echo-$((6*7))');
  await term.expectText(/^fd-echo-42$/m, 10_000);
  await expect(skippedMark(tab)).toHaveCount(0);
  await expect(tab).not.toHaveAccessibleDescription(/skipped/);
});
