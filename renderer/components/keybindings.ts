// The keybinding registry: every app shortcut, declared once with its key(s), label and scope.
// Handlers test events with matches()/matchIndex(); the status line, the palette, buttons'
// titles and aria-keyshortcuts all render from here, so changing a key here changes it everywhere.
//
// Widget keys that follow the ARIA patterns (Home/End, PageUp/PageDown, Enter/Space on a row,
// Tab, Escape in a dialog, Delete on a terminal tab) stay with their widgets; the arrows are
// listed here too because the status line teaches them.

/** Where a shortcut works. */
export type Scope =
  /** Everywhere, also in text fields and the terminal (captured before xterm sees it). */
  | 'anywhere'
  /** Anywhere outside a text field, a terminal or a dialog. */
  | 'global'
  /** While the containers grid (or, for the shell, the host list) has the keyboard: acts on the selection. */
  | 'selection'
  /** Moving in a grid. */
  | 'grid'
  /** While a terminal has the keyboard. */
  | 'terminal'
  /** In the rollout planner, outside a text field or a dialog: orders to the rollout it shows. */
  | 'planner';

export type Chord = { key: string; ctrl: boolean; shift: boolean; alt: boolean; code?: string };

export type Binding = {
  readonly label: string;
  readonly scope: Scope;
  /** In declaration order: matchIndex() tells which one an event matched. */
  readonly chords: readonly Chord[];
};

/** The part of a KeyboardEvent (DOM or React) a binding is matched against. */
export type KeyInput = { key: string; code?: string; ctrlKey: boolean; shiftKey: boolean; altKey: boolean; metaKey: boolean };

const MODIFIERS = ['Ctrl', 'Shift', 'Alt'] as const;

/** "Ctrl+Shift+PageUp", "Shift+E", "e", "/", "Ctrl+`" → a chord. Modifiers first, the key last. */
export function parseChord(spec: string, code?: string): Chord {
  const parts = spec.split('+');
  const key = parts.pop();
  if (!key) throw new Error(`keybindings: no key in "${spec}"`);
  for (const m of parts) if (!(MODIFIERS as readonly string[]).includes(m)) throw new Error(`keybindings: unknown modifier "${m}" in "${spec}"`);
  const chord: Chord = { key: key.length === 1 ? key.toLowerCase() : key, ctrl: parts.includes('Ctrl'), shift: parts.includes('Shift'), alt: parts.includes('Alt') };
  // A lone capital is ambiguous (Caps Lock or Shift?): "Shift+E" says it. "Ctrl+K" is the k key.
  if (isLetter(key) && key !== key.toLowerCase() && parts.length === 0) throw new Error(`keybindings: write "Shift+${key}", not "${key}"`);
  return code === undefined ? chord : { ...chord, code };
}

function binding(label: string, scope: Scope, specs: readonly string[], code?: string): Binding {
  return { label, scope, chords: specs.map((s) => parseChord(s, code)) };
}

const isLetter = (k: string) => k.length === 1 && k.toLowerCase() !== k.toUpperCase();

/**
 * Every shortcut of the app. Ctrl+K in a focused terminal stays with the shell (readline's
 * kill-line); Ctrl+Shift+P opens the palette from there too, like VS Code's terminal.
 */
export const KEYS = {
  palette: binding('commands', 'anywhere', ['Ctrl+K', 'Ctrl+Shift+P']),
  // Backquote by its code too: on layouts where ` is a dead key, e.key is "Dead".
  terminal: binding('terminal', 'anywhere', ['Ctrl+`'], 'Backquote'),
  /** [previous, next] terminal tab. */
  terminalTabs: binding('tabs', 'anywhere', ['Ctrl+Shift+PageUp', 'Ctrl+Shift+PageDown']),
  filter: binding('filter', 'global', ['/']),
  top: binding('top', 'global', ['t']),
  /** [up, down]. */
  move: binding('move', 'grid', ['ArrowUp', 'ArrowDown']),
  /** [collapse, expand]. */
  fold: binding('fold', 'grid', ['ArrowLeft', 'ArrowRight']),
  shell: binding('shell', 'selection', ['e']),
  shellAs: binding('shell as…', 'selection', ['Shift+E']),
  stats: binding('stats', 'selection', ['i']),
  /** A container's logs, or (on a service's row) every replica's merged. */
  logs: binding('logs', 'selection', ['l']),
  start: binding('start', 'selection', ['s']),
  stop: binding('stop', 'selection', ['x']),
  restart: binding('restart', 'selection', ['r']),
  /** In the Images grid, on a tag. */
  copyDigest: binding('copy digest', 'selection', ['c']),
  /** In the Alerts grid: acknowledge the selected alert, or every one. */
  ack: binding('ack', 'selection', ['a']),
  ackAll: binding('ack all', 'selection', ['Shift+A']),
  find: binding('find', 'terminal', ['Ctrl+Shift+F']),
  copy: binding('copy', 'terminal', ['Ctrl+Shift+C']),
  paste: binding('paste', 'terminal', ['Ctrl+Shift+V']),
  // The planner's orders (r is restart only in the containers grid, which the planner replaces).
  rolloutPause: binding('pause', 'planner', ['p']),
  rolloutResume: binding('resume', 'planner', ['r']),
  rolloutAbort: binding('abort', 'planner', ['a']),
  rolloutRollback: binding('roll back', 'planner', ['b']),
} as const satisfies Record<string, Binding>;

export type BindingId = keyof typeof KEYS;

function chordMatches(c: Chord, e: KeyInput): boolean {
  if (e.metaKey || e.ctrlKey !== c.ctrl || e.altKey !== c.alt) return false;
  if (c.code !== undefined && e.code === c.code) return true;
  if (c.key.length > 1) return e.key === c.key && e.shiftKey === c.shift;
  if (isLetter(c.key)) return e.key.toLowerCase() === c.key && e.shiftKey === c.shift;
  // "/" or "`": the character already says whether Shift made it (a German "/" is Shift+7).
  return e.key === c.key;
}

/** Which of the binding's chords the event is (-1: none). */
export function matchIndex(b: Binding, e: KeyInput): number {
  return b.chords.findIndex((c) => chordMatches(c, e));
}

export function matches(b: Binding, e: KeyInput): boolean {
  return matchIndex(b, e) >= 0;
}

const GLYPH: Record<string, string> = {
  ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→', PageUp: 'PgUp', PageDown: 'PgDn', Escape: 'Esc', ' ': 'Space',
};

function keyCap(c: Chord): string {
  const glyph = GLYPH[c.key];
  if (glyph) return glyph;
  // A bare letter reads as typed ("e"); with a modifier, as on the keycap ("K").
  return c.ctrl || c.alt || c.shift ? c.key.toUpperCase() : c.key;
}

type ModifierNames = { ctrl: string; alt: string; shift: string };
const CAPS: ModifierNames = { ctrl: 'Ctrl', alt: 'Alt', shift: '⇧' };
const WORDS: ModifierNames = { ctrl: 'Ctrl', alt: 'Alt', shift: 'Shift' };
const ARIA: ModifierNames = { ctrl: 'Control', alt: 'Alt', shift: 'Shift' };

const modifiers = (c: Chord, names: ModifierNames): string[] =>
  [...(c.ctrl ? [names.ctrl] : []), ...(c.alt ? [names.alt] : []), ...(c.shift ? [names.shift] : [])];

/**
 * Keycaps to draw, one <kbd> each. Chords that share their modifiers draw them once:
 * Ctrl ⇧ PgUp PgDn, ↑ ↓. Otherwise only the first chord is drawn.
 */
export function keyCaps(b: Binding): string[] {
  const [first, ...rest] = b.chords;
  if (!first) return [];
  const same = rest.every((c) => c.ctrl === first.ctrl && c.shift === first.shift && c.alt === first.alt);
  return [...modifiers(first, CAPS), ...(same ? b.chords : [first]).map(keyCap)];
}

/** Words for titles and tooltips: "Ctrl+K or Ctrl+Shift+P", "Shift+E", "e". */
export function keyText(b: Binding): string {
  return b.chords.map((c) => [...modifiers(c, WORDS), keyCap(c)].join('+')).join(' or ');
}

/** The aria-keyshortcuts value (KeyboardEvent.key names): "Control+K Control+Shift+P". */
export function ariaKeys(b: Binding): string {
  const ariaKey = (c: Chord) => (c.key === ' ' ? 'Space' : isLetter(c.key) && modifiers(c, ARIA).length > 0 ? c.key.toUpperCase() : c.key);
  return b.chords.map((c) => [...modifiers(c, ARIA), ariaKey(c)].join('+')).join(' ');
}
