// Issue 15, the quiet case: after a scripted session in a container shell on the lab, xterm's
// buffer in the page, serialized with @xterm/addon-serialize, equals main's terminalScreen (its
// headless mirror serialized) for the same session. What is compared: the whole serialization
// (scrollback, up to main's snapshot cap, and the screen, with the cursor, colours and SGR
// attributes, the modes and the alternate screen when it is active), plus the window title, at
// equal sizes (checked first). The page is read through the ?terminalProbe hook
// (renderer/features/terminal/screenProbe.ts), present only under that URL flag.
import { SKIP_AHEAD } from '../../main/terminal/skipAhead';
import { TerminalPage, TerminalProbe, withTerminalProbe } from '../pages/terminalPage';
import { expect, test } from '../support/fixtures';
import { dockerCli } from '../support/lab';

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const name = `fd-term2-screen-${Date.now() % 1_000_000}`;

test.beforeAll(async () => {
  await dockerCli('h1', 'run', '-d', '--name', name, '--network', 'br0', IMAGE);
});
test.afterAll(async () => {
  await dockerCli('h1', 'rm', '-f', name).catch(() => {});
});

/** Where two serializations part, for a readable failure. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const show = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 60), i + 60));
  return `differ at ${i} of ${a.length}/${b.length}: page ${show(a)} vs main ${show(b)}`;
}

test('xterm in the page shows what main\'s mirror holds, through colours, cursor moves, the alternate screen, a title, a resize and vi', async ({ fleet, page, console: running }) => {
  await page.goto(withTerminalProbe(running.launchUrl));
  const term = new TerminalPage(page);
  const probe = new TerminalProbe(page);
  await fleet.expectHostState('h1', 'online', 20_000);
  await term.openFromGrid(fleet, name);

  /** Page and main agree (polled: main's parser and the page's writes may still be finishing). */
  const expectSameScreen = async (step: string) => {
    await term.expectSizeSynced();
    await expect.poll(async () => {
      const { page: mine, main } = await probe.screens(SKIP_AHEAD.snapshotScrollback);
      const pageData = mine.title ? `${mine.data}\x1b]2;${mine.title}\x07` : mine.data;
      if (mine.cols !== main.cols || mine.rows !== main.rows) return `sizes ${mine.cols}x${mine.rows} vs ${main.cols}x${main.rows}`;
      return pageData === main.data ? 'equal' : firstDifference(pageData, main.data);
    }, { timeout: 15_000, message: step }).toBe('equal');
  };

  const marker = `fd-ready-${Date.now() % 100_000}`;
  await term.run(`echo ${marker}`);
  await term.expectText(new RegExp(`^${marker}$`, 'm'), 20_000);
  await expectSameScreen('a prompt');

  // Cursor moves, SGR 16/256/truecolor with attributes, and a title (typed: printf turns \033 into ESC).
  await term.run(String.raw`clear; printf '\033[2;20Hmoved\033[1;31m red\033[0;4;92m bright\033[0m \033[38;5;202m256\033[48;5;17mbg\033[0m \033[38;2;10;200;30mtrue\033[48;2;50;0;90mcolour\033[0m\033[4;5Hdown here\033[1A\033[3Dup\033[6;1H'`);
  await term.run(String.raw`printf '\033]0;fd-title-%s\007' screen`);
  await term.expectText(/down here/);
  await term.expectText(/fd-title-%s[^\n]*\n[^\n]*#$/m);
  await expectSameScreen('cursor moves and colours');
  expect((await probe.screens()).page.title).toBe('fd-title-screen');

  // The alternate screen entered: compare inside it, then left.
  await term.run(String.raw`printf '\033[?1049h\033[H\033[2Jon the alternate screen\033[5;5H\033[44m box \033[0m'; sleep 8; printf '\033[?1049l'`);
  await term.expectText(/^on the alternate screen/m);
  await expectSameScreen('in the alternate screen');
  await term.expectText(/1049l'\n[^\n]*#$/m, 20_000);
  await expectSameScreen('back from the alternate screen');

  // Scrollback, then a resize of the panel (both reflow).
  await term.run('seq 1 80');
  await term.expectText(/^80$/m);
  const before = await term.expectSizeSynced();
  await term.dragSplitter(-150);
  await expect.poll(async () => (await term.size()).rows).toBeGreaterThan(before.rows);
  await term.expectSizeSynced();
  await term.run('echo after-resize $(stty size)');
  await term.expectText(/^after-resize \d+ \d+$/m);
  await expectSameScreen('after a resize');

  // vi (busybox in the lab image): insert text, look, then quit.
  await term.run('vi /tmp/fd-term2-vi.txt');
  await term.expectText(/~/);
  await page.keyboard.type('ifirst line\nsecond line');
  await page.keyboard.press('Escape');
  await term.expectText(/second line/);
  await expectSameScreen('vi open');
  await page.keyboard.type(':q!');
  await page.keyboard.press('Enter');
  await expect.poll(() => term.text(), { timeout: 10_000 }).not.toContain('second line');
  await expectSameScreen('vi closed');
});
