// One xterm.js terminal per tab, created once and kept while the tab exists (hidden tabs keep
// their buffers). Not React: output goes from the terminalOutput stream straight into
// term.write(), and what xterm has written is acked in batches (flow control). Only the end
// of a session goes back to the store.
//
// Rendering: the DOM renderer always works; the WebGL renderer is loaded only while the tab
// is visible (Chromium keeps ~16 WebGL contexts alive) and dropped on context loss. Where
// WebGL cannot be created, or is only software GL (--disable-gpu gives SwiftShader, which
// measured 2.4× slower than the DOM renderer in the terminal bench), we stay on the DOM
// renderer silently.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon, type ISearchOptions } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { Api } from '../../../shared/contract';
import type { TerminalEvent, TerminalSize } from '../../../shared/terminal';
import { AckBatcher } from './ackBatcher';
import { chunks } from './chunks';

/** Input messages stay well under the contract's 64 KiB limit. */
const INPUT_CHUNK = 16_384;
/**
 * xterm parses each write() whole before it yields, and a 120 KB batch of short lines (a `yes`
 * flood) took ~115 ms: long enough to stall keystrokes and frames. Slices this big parse in a
 * few ms, so xterm's 12 ms write budget can yield between them.
 */
const WRITE_SLICE = 4_096;
/** Keystrokes typed while the session is still opening are kept (up to this much) and sent once it opens. */
const EARLY_INPUT_MAX = 4_096;
/**
 * The skipped mark stays at least this long after the last snapshot, whatever is typed: the
 * first key in a flood is usually Ctrl-C, and the mark must outlive it to be read. The first
 * keystroke after that clears it.
 */
const SKIP_MARK_MIN_MS = 5_000;
/** ResizeObserver bursts (splitter drags, window resizes) settle for this long before a fit. */
const FIT_DEBOUNCE_MS = 40;
/** After this many context losses we stop trying WebGL for the rest of the page's life. */
const MAX_WEBGL_LOSSES = 3;

export const THEME: ITheme = {
  background: '#0a0e13',
  foreground: '#d8e0ea',
  cursor: '#e6edf3',
  cursorAccent: '#0a0e13',
  selectionBackground: '#2f5f99',
  selectionInactiveBackground: '#26405f',
  scrollbarSliderBackground: 'rgba(141, 153, 170, 0.28)',
  scrollbarSliderHoverBackground: 'rgba(141, 153, 170, 0.45)',
  scrollbarSliderActiveBackground: 'rgba(141, 153, 170, 0.6)',
  black: '#1b2330',
  red: '#ff6b63',
  green: '#3fb950',
  yellow: '#e9b949',
  blue: '#6cb6ff',
  magenta: '#d2a8ff',
  cyan: '#56d4dd',
  white: '#c2ccd8',
  brightBlack: '#7d8898',
  brightRed: '#ff8f88',
  brightGreen: '#6ad779',
  brightYellow: '#f5d37a',
  brightBlue: '#9ccfff',
  brightMagenta: '#e2c5ff',
  brightCyan: '#8be9ef',
  brightWhite: '#f3f6f9',
};

export const SEARCH_DECORATIONS: ISearchOptions['decorations'] = {
  matchBackground: '#5a4a12',
  matchBorder: '#e9b949',
  matchOverviewRuler: '#e9b949',
  activeMatchBackground: '#a0522d',
  activeMatchBorder: '#ffb27a',
  activeMatchColorOverviewRuler: '#ff8f3e',
};

let webglLosses = 0;
let webglUnavailable = false;
let webglProbed = false;

/**
 * WebGL only pays off on a GPU. Software GL (SwiftShader, llvmpipe: what Chromium falls back to
 * with --disable-gpu or a blocklisted driver) draws on the CPU and is slower than the DOM
 * renderer, so it counts as unavailable.
 */
/** localStorage "fleetdeck.terminal.renderer": auto (default), webgl (even on software GL), dom. */
function rendererPreference(): 'auto' | 'webgl' | 'dom' {
  try {
    const v = localStorage.getItem('fleetdeck.terminal.renderer');
    return v === 'webgl' || v === 'dom' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

function hardwareWebgl(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return !/swiftshader|llvmpipe|softpipe|software/i.test(renderer);
  } catch {
    return false;
  }
}

export type InstanceCallbacks = {
  /** Main says the session ended (after everything before it was written). */
  onExit(sessionId: string, code: number | null, message: string): void;
  /** The visible terminal was fitted to a new size. */
  onFit(size: TerminalSize): void;
  /** Main skipped `chars` of this session's output and sent its screen instead (the snapshot is on screen). */
  onSkipped(sessionId: string, chars: number): void;
  /** The user typed into the terminal after output was skipped (the tab's mark may clear). */
  onInputAfterSkip(): void;
};

export class TerminalInstance {
  /** Lives as long as the tab; the pane moves it into its DOM on mount. */
  readonly element: HTMLDivElement;
  readonly term: Terminal;
  readonly search = new SearchAddon({ highlightLimit: 1_000 });
  private readonly fitAddon = new FitAddon();
  private webgl: WebglAddon | undefined;
  private opened = false;
  private visible = false;
  private disposed = false;

  private api: Api | undefined;
  private sessionId: string | undefined;
  /** The last session this terminal showed, so a store update does not bind it twice. */
  private lastSessionId: string | undefined;
  private unsubscribe: (() => void) | undefined;
  private batcher: AckBatcher | undefined;
  private live = false;
  private early: string[] = [];
  private earlyChars = 0;
  private awaitingSession = true;
  /** Output was skipped since the user last typed: a keystroke after SKIP_MARK_MIN_MS tells the store once. */
  private skippedUnseen = false;
  private lastSnapshotAt = 0;
  /** The window title the session last set (OSC 0/2), as a snapshot carries it too. */
  title = '';

  private readonly observer: ResizeObserver;
  private fitTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly key: string, private readonly callbacks: InstanceCallbacks) {
    this.element = document.createElement('div');
    this.element.className = 'term-xterm';
    this.term = new Terminal({
      theme: THEME,
      fontFamily: "'DejaVu Sans Mono', 'Liberation Mono', ui-monospace, Menlo, Consolas, monospace",
      fontSize: 13,
      lineHeight: 1.15,
      scrollback: 5_000,
      cursorBlink: false,
      cursorInactiveStyle: 'outline',
      minimumContrastRatio: 4.5,
      allowProposedApi: true, // the search addon's decorations
      rightClickSelectsWord: true,
    });
    this.term.loadAddon(this.fitAddon);
    this.term.loadAddon(this.search);
    // Links open in a new window, which Electron turns into the user's browser; noopener keeps
    // the opened page from reaching back into the console.
    this.term.loadAddon(new WebLinksAddon((event, uri) => {
      event.preventDefault();
      if (/^https?:\/\//i.test(uri)) window.open(uri, '_blank', 'noopener,noreferrer');
    }));
    this.term.onData((data) => {
      if (this.skippedUnseen && Date.now() - this.lastSnapshotAt >= SKIP_MARK_MIN_MS) {
        this.skippedUnseen = false;
        this.callbacks.onInputAfterSkip();
      }
      this.input(data);
    });
    this.term.onTitleChange((title) => { this.title = title; });
    this.term.onResize((size) => this.resized(size));
    this.observer = new ResizeObserver(() => this.scheduleFit());
  }

  /** Puts the terminal into `container` (opening xterm the first time). */
  attach(container: HTMLElement): void {
    if (this.disposed) return;
    if (this.element.parentElement !== container) container.appendChild(this.element);
    if (!this.opened) {
      this.term.open(this.element);
      this.opened = true;
      this.dataset();
      this.element.dataset.renderer = this.rendererKind;
    }
    this.observer.observe(this.element);
  }

  detach(): void {
    this.observer.disconnect();
    this.element.remove();
  }

  /** The visible tab gets the WebGL renderer and fits; hidden tabs drop WebGL and keep their size. */
  setVisible(visible: boolean): void {
    if (this.disposed || this.visible === visible) return;
    this.visible = visible;
    if (visible) {
      this.loadWebgl();
      this.fitNow();
    } else {
      this.disposeWebgl();
    }
  }

  get rendererKind(): 'webgl' | 'dom' {
    return this.webgl ? 'webgl' : 'dom';
  }

  focus(): void {
    this.term.focus();
  }

  setScreenReader(on: boolean): void {
    if (this.term.options.screenReaderMode !== on) this.term.options.screenReaderMode = on;
  }

  hasFocus(): boolean {
    return this.element.contains(document.activeElement);
  }

  /** Starts showing a session's output (a new session after a reconnect goes into the same buffer). */
  bind(api: Api, sessionId: string, openedSize: TerminalSize | undefined): void {
    if (this.disposed || this.lastSessionId === sessionId) return;
    this.unbind();
    if (this.lastSessionId !== undefined) {
      // Back to sane modes (the old session may have left the alternate screen or odd attributes
      // on), keep the old output, and mark where the new session starts.
      this.term.write(`\x1b[!p\x1b[?1049l\x1b[0m\r\n\x1b[2m── reconnected ${new Date().toLocaleTimeString()} ──\x1b[0m\r\n`);
    }
    this.api = api;
    this.sessionId = sessionId;
    this.lastSessionId = sessionId;
    this.live = true;
    this.awaitingSession = false;
    const batcher = new AckBatcher((chars) => {
      void api.terminalAck({ sessionId, chars }).catch(() => { /* session gone: nothing to pace */ });
    });
    this.batcher = batcher;
    this.unsubscribe = api.terminalOutput({ sessionId }, (event) => this.output(sessionId, batcher, event));
    delete this.element.dataset.ptySize;
    if (!openedSize || openedSize.cols !== this.term.cols || openedSize.rows !== this.term.rows) this.sendResize();
    else this.element.dataset.ptySize = `${openedSize.rows} ${openedSize.cols}`;
    const early = this.early;
    this.early = [];
    this.earlyChars = 0;
    for (const data of early) this.input(data);
  }

  /** The tab is waiting for a new session (opening or reconnecting): keep early keystrokes. */
  expectSession(): void {
    this.awaitingSession = true;
  }

  /** The tab has no session and none is coming (failed or exited). */
  noSession(): void {
    this.awaitingSession = false;
    this.early = [];
    this.earlyChars = 0;
    this.unbind();
  }

  private output(sessionId: string, batcher: AckBatcher, event: TerminalEvent): void {
    if (this.disposed || this.sessionId !== sessionId) return;
    if (event.t === 'data') {
      this.writeAcked(event.data, batcher);
      return;
    }
    if (event.t === 'snapshot') {
      // The session's true screen in place of output main skipped: it replaces ours.
      this.applyScreen(event.data, batcher, () => {
        if (this.sessionId !== sessionId) return;
        this.skippedUnseen = true;
        this.lastSnapshotAt = Date.now();
        this.callbacks.onSkipped(sessionId, event.skipped);
      });
      return;
    }
    // Exit: stop sending input now; tell the store once the output before it is on screen.
    this.live = false;
    batcher.dispose();
    this.term.write('', () => {
      this.callbacks.onExit(sessionId, event.code, event.message);
      if (this.sessionId === sessionId) this.unbind();
    });
  }

  /** Writes output in slices, acking each once xterm has parsed it. */
  private writeAcked(data: string, batcher: AckBatcher | undefined, done?: () => void): void {
    for (const slice of chunks(data, WRITE_SLICE)) {
      const n = slice.length;
      this.term.write(slice, () => batcher?.written(n));
    }
    if (done) this.term.write('', done);
  }

  /**
   * Replaces the screen with a serialized one (a snapshot, or Redraw's answer): reset, write it
   * in slices (acked when `batcher` is given), and end at the bottom, where the session is.
   * Search marks point into the old buffer, so they go first (the find bar searches again on
   * its next key).
   */
  private applyScreen(data: string, batcher: AckBatcher | undefined, done?: () => void): void {
    this.search.clearDecorations();
    // RIS in the same write loop as the screen, not term.reset() before it: the reset and what
    // follows are parsed in one task, so no paint shows the blank terminal in between (a flood
    // brings up to 60 frames a second). Not acked: main did not send it.
    this.term.write('\x1bc');
    this.writeAcked(data, batcher, () => {
      this.term.scrollToBottom();
      // Main sends the next frame once this one is acked: no waiting for the batcher's idle flush.
      batcher?.flush();
      done?.();
    });
  }

  /**
   * Redraw: asks main for the session's screen as its mirror holds it and shows that. Not
   * acked: it is an answer, not output. Output that arrives meanwhile is already in it, as the
   * answer and the stream share one ordered connection.
   */
  async redraw(): Promise<boolean> {
    const api = this.api;
    const sessionId = this.sessionId;
    if (!api || !sessionId || !this.live) return false;
    const screen = await api.terminalScreen({ sessionId });
    if (this.disposed || this.sessionId !== sessionId) return false;
    await new Promise<void>((resolve) => this.applyScreen(screen.data, undefined, resolve));
    return true;
  }

  /** The session this terminal shows now (for Redraw and the test probe). */
  get currentSessionId(): string | undefined {
    return this.sessionId;
  }

  private unbind(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.batcher?.dispose();
    this.batcher = undefined;
    this.sessionId = undefined;
    this.live = false;
  }

  /** Keystrokes and pastes go out in order: calls are issued in sequence and never awaited here. */
  private input(data: string): void {
    if (!this.live || !this.api || !this.sessionId) {
      if (this.awaitingSession && this.earlyChars + data.length <= EARLY_INPUT_MAX) {
        this.early.push(data);
        this.earlyChars += data.length;
      }
      return;
    }
    const api = this.api;
    const sessionId = this.sessionId;
    for (const chunk of chunks(data, INPUT_CHUNK)) {
      void api.terminalInput({ sessionId, data: chunk }).catch(() => { /* ended meanwhile; the exit event says so */ });
    }
  }

  // ---- size ------------------------------------------------------------------------------

  private scheduleFit(): void {
    if (!this.visible) return;
    if (this.fitTimer) clearTimeout(this.fitTimer);
    this.fitTimer = setTimeout(() => this.fitNow(), FIT_DEBOUNCE_MS);
  }

  fitNow(): void {
    if (this.fitTimer) clearTimeout(this.fitTimer);
    this.fitTimer = undefined;
    if (!this.opened || !this.visible || this.disposed) return;
    const dims = this.fitAddon.proposeDimensions();
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows) || dims.cols < 2 || dims.rows < 1) return;
    if (dims.cols !== this.term.cols || dims.rows !== this.term.rows) this.term.resize(dims.cols, dims.rows);
    this.callbacks.onFit({ cols: this.term.cols, rows: this.term.rows });
  }

  private resized(_size: { cols: number; rows: number }): void {
    this.dataset();
    this.sendResize();
  }

  private sendResize(): void {
    const api = this.api;
    const sessionId = this.sessionId;
    if (!api || !sessionId || !this.live) return;
    const size = { cols: Math.min(1000, Math.max(2, this.term.cols)), rows: Math.min(500, Math.max(1, this.term.rows)) };
    api.terminalResize({ sessionId, size }).then(
      () => {
        // What the far side now believes (tests compare it with `stty size`).
        if (this.sessionId === sessionId) this.element.dataset.ptySize = `${size.rows} ${size.cols}`;
      },
      () => { /* ended meanwhile */ },
    );
  }

  private dataset(): void {
    this.element.dataset.cols = String(this.term.cols);
    this.element.dataset.rows = String(this.term.rows);
  }

  // ---- WebGL -----------------------------------------------------------------------------

  private loadWebgl(): void {
    if (!webglProbed) {
      webglProbed = true;
      const pref = rendererPreference();
      if (pref === 'dom' || (pref === 'auto' && !hardwareWebgl())) webglUnavailable = true;
    }
    if (this.webgl || webglUnavailable || !this.opened) return;
    try {
      const addon = new WebglAddon();
      addon.onContextLoss(() => {
        if (++webglLosses >= MAX_WEBGL_LOSSES) webglUnavailable = true;
        if (this.webgl === addon) this.disposeWebgl();
      });
      this.term.loadAddon(addon);
      this.webgl = addon;
    } catch {
      // No WebGL2 here (e.g. --disable-gpu): the DOM renderer keeps going.
      webglUnavailable = true;
    }
    this.element.dataset.renderer = this.rendererKind;
  }

  private disposeWebgl(): void {
    const addon = this.webgl;
    this.webgl = undefined;
    try {
      addon?.dispose();
    } catch {
      /* already torn down by the context loss */
    }
    this.element.dataset.renderer = this.rendererKind;
  }

  // ---- clipboard -------------------------------------------------------------------------

  /** Copies the selection; false when there is none or the clipboard refused. */
  async copySelection(): Promise<'copied' | 'empty' | 'failed'> {
    const text = this.term.getSelection();
    if (!text) return 'empty';
    try {
      await navigator.clipboard.writeText(text);
      return 'copied';
    } catch {
      return legacyCopy(text, () => this.term.focus()) ? 'copied' : 'failed';
    }
  }

  /** Pastes the clipboard through xterm (so bracketed paste mode is honoured). */
  async pasteClipboard(): Promise<'pasted' | 'empty' | 'failed'> {
    try {
      const text = await navigator.clipboard.readText();
      if (!text) return 'empty';
      this.term.paste(text);
      return 'pasted';
    } catch {
      return 'failed';
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.unbind();
    this.disposed = true;
    if (this.fitTimer) clearTimeout(this.fitTimer);
    this.observer.disconnect();
    this.disposeWebgl();
    this.term.dispose();
    this.element.remove();
  }
}

/** execCommand('copy') from a throwaway textarea: works where the async clipboard API is blocked. */
function legacyCopy(text: string, refocus: () => void): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  refocus();
  return ok;
}
