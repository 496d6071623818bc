// The theme's choice: stored choice over the system's preference, the toggle flips the theme in
// force and keeps it, and disabled storage still lets the page switch.
import { describe, expect, it } from 'vitest';
import { applyStoredTheme, currentTheme, THEME_PREF, toggleTheme, type ThemeHost } from './theme';

function host(opts: { stored?: string; prefersLight?: boolean; storage?: 'ok' | 'throws' } = {}): ThemeHost & { saved: Map<string, string> } {
  const saved = new Map<string, string>(opts.stored === undefined ? [] : [[THEME_PREF, opts.stored]]);
  const fail = () => {
    throw new Error('SecurityError: storage disabled');
  };
  return {
    saved,
    storage: opts.storage === 'throws' ? { getItem: fail, setItem: fail } : { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => void saved.set(k, v) },
    root: { dataset: {} },
    prefersLight: () => opts.prefersLight ?? false,
  };
}

describe('theme', () => {
  it('follows the system without a stored choice, and sets nothing on <html>', () => {
    const dark = host();
    const light = host({ prefersLight: true });
    applyStoredTheme(dark);
    applyStoredTheme(light);
    expect([currentTheme(dark), currentTheme(light)]).toEqual(['dark', 'light']);
    expect([dark.root.dataset.theme, light.root.dataset.theme]).toEqual([undefined, undefined]);
  });

  it('puts a stored choice on <html> over the system preference; ignores a stored value it does not know', () => {
    const h = host({ stored: 'dark', prefersLight: true });
    applyStoredTheme(h);
    expect(h.root.dataset.theme).toBe('dark');
    expect(currentTheme(h)).toBe('dark');
    const odd = host({ stored: 'sepia', prefersLight: true });
    applyStoredTheme(odd);
    expect(odd.root.dataset.theme).toBeUndefined();
    expect(currentTheme(odd)).toBe('light');
  });

  it('toggles the theme in force and stores it', () => {
    const h = host({ prefersLight: true });
    expect(toggleTheme(h)).toBe('dark');
    expect([h.root.dataset.theme, h.saved.get(THEME_PREF)]).toEqual(['dark', 'dark']);
    expect(toggleTheme(h)).toBe('light');
    expect([h.root.dataset.theme, h.saved.get(THEME_PREF)]).toEqual(['light', 'light']);
  });

  it('still switches the page when storage throws', () => {
    const h = host({ storage: 'throws' });
    applyStoredTheme(h);
    expect(currentTheme(h)).toBe('dark');
    expect(toggleTheme(h)).toBe('light');
    expect(h.root.dataset.theme).toBe('light');
  });
});
