// The console's theme: dark (the NOC default) or light. The Theme button's choice is kept in
// localStorage; without one the system's preference holds. A choice is set as data-theme on
// <html>, which styles/base.css turns into color-scheme, and so into each colour's light-dark() side.
export type Theme = 'light' | 'dark';

/** localStorage key of the Theme button's choice: "light" or "dark". */
export const THEME_PREF = 'fleetdeck.theme';

/** What the theme needs from the page. */
export interface ThemeHost {
  /** Absent or throwing where storage is disabled: the choice then lasts for this page only. */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  root: { dataset: Record<string, string | undefined> };
  prefersLight(): boolean;
}

export function storedTheme(host: ThemeHost): Theme | undefined {
  try {
    const v = host.storage?.getItem(THEME_PREF);
    return v === 'light' || v === 'dark' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The theme in force: the one set on <html>, else the stored choice, else the system's. */
export function currentTheme(host: ThemeHost): Theme {
  const set = host.root.dataset.theme;
  if (set === 'light' || set === 'dark') return set;
  return storedTheme(host) ?? (host.prefersLight() ? 'light' : 'dark');
}

/** At start-up: the stored choice, if any, goes on <html> before the first paint. */
export function applyStoredTheme(host: ThemeHost): void {
  const stored = storedTheme(host);
  if (stored) host.root.dataset.theme = stored;
}

/** The Theme button: the other theme, on <html> and stored. Returns it. */
export function toggleTheme(host: ThemeHost): Theme {
  const next: Theme = currentTheme(host) === 'light' ? 'dark' : 'light';
  host.root.dataset.theme = next;
  try {
    host.storage?.setItem(THEME_PREF, next);
  } catch {
    /* storage disabled: the choice lasts for this page only */
  }
  return next;
}

/** The real page's host (the renderer, in the browser or Electron). */
export function pageThemeHost(): ThemeHost {
  return {
    storage: globalThis.localStorage,
    root: document.documentElement,
    prefersLight: () => globalThis.matchMedia?.('(prefers-color-scheme: light)').matches ?? false,
  };
}
