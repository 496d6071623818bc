// The terminal panel as a user sees it: session tabs, the active pane, its terminal text, the
// ended/failed messages, and the host-key dialog.
//
// Reading the screen: even with --disable-gpu, Chromium may give WebGL through SwiftShader, and
// then xterm draws on a canvas. So text() turns on the panel's "Screen reader mode" and reads
// xterm's accessibility tree (one list item per visible row), whichever renderer draws. The
// pane's terminal element carries data-cols/data-rows (xterm's size), data-pty-size ("rows cols"
// the far side last confirmed) and data-renderer ("dom" or "webgl").
import { expect, type Locator, type Page } from '@playwright/test';

export class TerminalPage {
  readonly panel: Locator;
  readonly tablist: Locator;
  readonly tabs: Locator;
  readonly splitter: Locator;
  readonly hostKeyDialog: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByRole('region', { name: 'Terminals' });
    this.tablist = this.panel.getByRole('tablist', { name: 'Terminal sessions' });
    this.tabs = this.tablist.getByRole('tab');
    this.splitter = this.panel.getByRole('separator', { name: 'Resize terminal panel' });
    this.hostKeyDialog = page.getByRole('alertdialog', { name: /host key/i });
  }

  tab(title: string | RegExp): Locator {
    return this.tablist.getByRole('tab', { name: title });
  }

  /** The visible pane (hidden panes are not in the accessibility tree). */
  pane(): Locator {
    return this.panel.getByRole('tabpanel');
  }

  /** The xterm element of the visible pane. */
  terminal(): Locator {
    return this.pane().locator('.term-xterm');
  }

  /** Opens a container's shell from the grid (search, select the row, Enter) and waits for its tab. */
  async openFromGrid(fleet: { search(text: string): Promise<void>; select(name: string): Promise<void> }, name: string): Promise<void> {
    await fleet.search(name);
    await fleet.select(name);
    await this.page.keyboard.press('Enter');
    await this.expectOpen();
  }

  async expectOpen(timeout = 30_000): Promise<void> {
    await expect(this.pane()).toHaveAttribute('data-status', 'open', { timeout });
  }

  async status(): Promise<string | null> {
    return this.pane().getAttribute('data-status');
  }

  async rendererName(): Promise<string> {
    return (await this.terminal().getAttribute('data-renderer')) ?? 'dom';
  }

  /** Gives the keyboard to the visible terminal. */
  async focus(): Promise<void> {
    await this.pane().locator('.xterm-helper-textarea').focus();
  }

  /** Types into the terminal ("\n" presses Enter). */
  async type(text: string): Promise<void> {
    await this.focus();
    await this.page.keyboard.type(text);
  }

  /** Types a command line and presses Enter. */
  async run(command: string): Promise<void> {
    await this.type(command);
    await this.page.keyboard.press('Enter');
  }

  /** Turns on xterm's screen reader mode (idempotent), which text() reads. */
  async enableScreenReader(): Promise<void> {
    const toggle = this.panel.getByRole('button', { name: 'Screen reader mode' });
    // A dispatched click does not move focus: typing keeps going to whatever had it.
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.dispatchEvent('click');
    await expect(this.pane().locator('.xterm-accessibility-tree')).toHaveCount(1);
  }

  /** The visible screen, one line per row, trailing spaces trimmed. */
  async text(): Promise<string> {
    const tree = this.pane().locator('.xterm-accessibility-tree');
    if ((await tree.count()) === 0) await this.enableScreenReader();
    return tree.evaluate((rows) =>
      Array.from(rows.children, (r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'));
  }

  async expectText(pattern: string | RegExp, timeout = 15_000): Promise<void> {
    await expect.poll(() => this.text(), { timeout }).toMatch(typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern);
  }

  /** xterm's own idea of its size. */
  async size(): Promise<{ rows: number; cols: number }> {
    const el = this.terminal();
    return { rows: Number(await el.getAttribute('data-rows')), cols: Number(await el.getAttribute('data-cols')) };
  }

  /** Waits until the far side has confirmed the terminal's current size. */
  async expectSizeSynced(timeout = 10_000): Promise<{ rows: number; cols: number }> {
    let size = await this.size();
    await expect.poll(async () => {
      size = await this.size();
      return this.terminal().getAttribute('data-pty-size');
    }, { timeout }).toBe(`${size.rows} ${size.cols}`);
    return size;
  }

  /** Rows in xterm's accessibility tree (an independent check of data-rows). */
  async renderedRows(): Promise<number> {
    await this.text();
    return this.pane().locator('.xterm-accessibility-tree > *').count();
  }

  /** "Session ended — exit code N" bar, with its Reconnect button. */
  ended(): Locator {
    return this.pane().getByRole('status').filter({ hasText: 'Session ended' });
  }

  reconnectButton(): Locator {
    return this.pane().getByRole('button', { name: 'Reconnect' });
  }

  /** Why a tab could not open (an alert, or a status for the host-key cases). */
  failure(): Locator {
    return this.pane().locator('.term-failure');
  }

  async closeActive(): Promise<void> {
    await this.panel.getByRole('button', { name: 'Close terminal tab' }).click();
  }

  /** Drags the splitter by dy pixels (negative: the panel grows). */
  async dragSplitter(dy: number): Promise<void> {
    const box = await this.splitter.boundingBox();
    if (!box) throw new Error('the splitter is not visible');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x, y + dy / 2, { steps: 4 });
    await this.page.mouse.move(x, y + dy, { steps: 4 });
    await this.page.mouse.up();
  }
}

/** What the page's ?terminalProbe hook answers (renderer/features/terminal/screenProbe.ts); typed here, as e2e code has no DOM types. */
export type ProbeScreens = {
  page: { data: string; cols: number; rows: number; title: string };
  main: { data: string; cols: number; rows: number };
};
type ProbeWindow = {
  fleetdeckTerminalProbe?: {
    screens(scrollback?: number): Promise<ProbeScreens | null>;
    lines(last?: number): Promise<{ lines: string[]; base: number; rows: number } | null>;
  };
};

/** The page's URL with the terminal probe on (a launch URL already has a query: the token). */
export function withTerminalProbe(url: string): string {
  const u = new URL(url);
  u.searchParams.set('terminalProbe', '1');
  return u.toString();
}

/** Reads the active terminal through the probe (the page must have been opened withTerminalProbe). */
export class TerminalProbe {
  constructor(private readonly page: Page) {}

  async screens(scrollback?: number): Promise<ProbeScreens> {
    const s = await this.page.evaluate((n) => (globalThis as unknown as ProbeWindow).fleetdeckTerminalProbe?.screens(n) ?? null, scrollback);
    if (!s) throw new Error('no terminal probe or no live session in the active tab');
    return s;
  }

  /** The active buffer's lines (scrollback then screen; the `last` ones only when given); `base` is the first visible row's index. */
  async lines(last?: number): Promise<{ lines: string[]; base: number; rows: number }> {
    const l = await this.page.evaluate((n) => (globalThis as unknown as ProbeWindow).fleetdeckTerminalProbe?.lines(n) ?? null, last);
    if (!l) throw new Error('no terminal probe or no active tab');
    return l;
  }
}

/** The tab's skipped mark ("skipped 12.3 MB"), drawn; its words are in the tab's accessible description. */
export function skippedMark(tab: Locator): Locator {
  return tab.locator('.term-tab-skipped');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
