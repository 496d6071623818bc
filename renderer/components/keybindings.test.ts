import { describe, expect, it } from 'vitest';
import { ariaKeys, keyCaps, KEYS, keyText, matches, matchIndex, parseChord, type Binding, type KeyInput } from './keybindings';

/** A keydown as the browser reports it. */
const key = (k: string, mods: Partial<Omit<KeyInput, 'key'>> = {}): KeyInput => ({ key: k, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods });

describe('parseChord', () => {
  it.each([
    ['e', { key: 'e', ctrl: false, shift: false, alt: false }],
    ['Shift+E', { key: 'e', ctrl: false, shift: true, alt: false }],
    ['Ctrl+Shift+PageUp', { key: 'PageUp', ctrl: true, shift: true, alt: false }],
    ['Ctrl+K', { key: 'k', ctrl: true, shift: false, alt: false }],
    ['/', { key: '/', ctrl: false, shift: false, alt: false }],
  ])('%s', (spec, chord) => expect(parseChord(spec)).toEqual(chord));

  it('refuses a capital letter without Shift, and unknown modifiers', () => {
    expect(() => parseChord('E')).toThrow(/Shift\+E/);
    expect(() => parseChord('Cmd+K')).toThrow(/unknown modifier "Cmd"/);
  });
});

describe('matches', () => {
  it('opens the palette with Ctrl+K and Ctrl+Shift+P, and not with K, Ctrl+Shift+K, Ctrl+Alt+K or Meta+K', () => {
    expect(matches(KEYS.palette, key('k', { ctrlKey: true }))).toBe(true);
    expect(matches(KEYS.palette, key('P', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matches(KEYS.palette, key('k'))).toBe(false);
    expect(matches(KEYS.palette, key('K', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matches(KEYS.palette, key('k', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(matches(KEYS.palette, key('k', { ctrlKey: true, metaKey: true }))).toBe(false);
    expect(matches(KEYS.palette, key('p', { ctrlKey: true }))).toBe(false);
  });

  it('tells e (shell) from Shift+E (shell as…); Caps Lock still gives the shell', () => {
    expect(matches(KEYS.shell, key('e'))).toBe(true);
    expect(matches(KEYS.shell, key('E', { shiftKey: true }))).toBe(false);
    expect(matches(KEYS.shellAs, key('E', { shiftKey: true }))).toBe(true);
    expect(matches(KEYS.shellAs, key('e'))).toBe(false);
    expect(matches(KEYS.shell, key('E'))).toBe(true);
  });

  it('takes a punctuation key as typed, whatever Shift made it', () => {
    // A German layout types "/" with Shift+7.
    expect(matches(KEYS.filter, key('/', { shiftKey: true }))).toBe(true);
    expect(matches(KEYS.filter, key('7', { shiftKey: true }))).toBe(false);
  });

  it('matches Ctrl+` by its code where ` is a dead key', () => {
    expect(matches(KEYS.terminal, key('`', { ctrlKey: true }))).toBe(true);
    expect(matches(KEYS.terminal, { ...key('Dead', { ctrlKey: true }), code: 'Backquote' })).toBe(true);
    expect(matches(KEYS.terminal, { ...key('Dead'), code: 'Backquote' })).toBe(false);
  });

  it('tells which chord matched: previous or next tab, up or down', () => {
    expect(matchIndex(KEYS.terminalTabs, key('PageUp', { ctrlKey: true, shiftKey: true }))).toBe(0);
    expect(matchIndex(KEYS.terminalTabs, key('PageDown', { ctrlKey: true, shiftKey: true }))).toBe(1);
    expect(matchIndex(KEYS.terminalTabs, key('PageDown', { ctrlKey: true }))).toBe(-1);
    expect(matchIndex(KEYS.move, key('ArrowDown'))).toBe(1);
    expect(matchIndex(KEYS.move, key('ArrowDown', { shiftKey: true }))).toBe(-1);
  });

  it('follows the registry: a binding built with another key matches that key only', () => {
    const custom: Binding = { label: 'stats', scope: 'selection', chords: [parseChord('Alt+S')] };
    expect(matches(custom, key('s', { altKey: true }))).toBe(true);
    expect(matches(custom, key('i'))).toBe(false);
  });
});

describe('no two bindings of one scope share a chord', () => {
  const all = Object.entries(KEYS) as [string, Binding][];
  // A terminal key is only live in the terminal, where the anywhere keys are live too.
  const live = (b: Binding) => (b.scope === 'terminal' ? ['terminal', 'anywhere'] : b.scope === 'anywhere' ? ['anywhere', 'terminal', 'global', 'selection', 'grid'] : [b.scope, 'anywhere']);
  for (const [id, b] of all) {
    it(id, () => {
      for (const [other, o] of all) {
        if (other === id || !live(b).includes(o.scope)) continue;
        for (const c of b.chords) {
          const e = key(c.shift && c.key.length === 1 ? c.key.toUpperCase() : c.key, { ctrlKey: c.ctrl, shiftKey: c.shift, altKey: c.alt });
          expect(matches(o, e), `${id} and ${other} both take ${keyText(b)}`).toBe(false);
        }
      }
    });
  }
});

describe('what people see', () => {
  it('keycaps draw shared modifiers once', () => {
    expect(keyCaps(KEYS.terminalTabs)).toEqual(['Ctrl', '⇧', 'PgUp', 'PgDn']);
    expect(keyCaps(KEYS.move)).toEqual(['↑', '↓']);
    expect(keyCaps(KEYS.shellAs)).toEqual(['⇧', 'E']);
    expect(keyCaps(KEYS.palette)).toEqual(['Ctrl', 'K']);
    expect(keyCaps(KEYS.stats)).toEqual(['i']);
  });

  it('titles and aria-keyshortcuts name every chord', () => {
    expect(keyText(KEYS.palette)).toBe('Ctrl+K or Ctrl+Shift+P');
    expect(keyText(KEYS.shellAs)).toBe('Shift+E');
    expect(ariaKeys(KEYS.palette)).toBe('Control+K Control+Shift+P');
    expect(ariaKeys(KEYS.shellAs)).toBe('Shift+E');
    expect(ariaKeys(KEYS.find)).toBe('Control+Shift+F');
    expect(ariaKeys(KEYS.terminal)).toBe('Control+`');
  });
});
