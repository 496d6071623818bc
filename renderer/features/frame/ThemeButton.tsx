// The top bar's "Theme" button: switches dark ↔ light and keeps the choice (theme.ts). Its
// title says which theme is on and what a click does; the name stays "Theme".
import { useEffect, useState } from 'react';
import { Shape } from '../../components/Shape';
import { applyStoredTheme, currentTheme, pageThemeHost, toggleTheme } from './theme';

// Before the first render (this module loads with the app): a stored choice paints from the start.
applyStoredTheme(pageThemeHost());

export function ThemeButton() {
  const [theme, setTheme] = useState(() => currentTheme(pageThemeHost()));
  // Without a stored choice the system's preference may change under us: follow it.
  useEffect(() => {
    const query = globalThis.matchMedia?.('(prefers-color-scheme: light)');
    const follow = () => setTheme(currentTheme(pageThemeHost()));
    query?.addEventListener('change', follow);
    return () => query?.removeEventListener('change', follow);
  }, []);
  const other = theme === 'light' ? 'dark' : 'light';
  return (
    <button type="button" className="btn btn-quiet btn-small theme-btn" title={`${theme === 'light' ? 'Light' : 'Dark'} theme: switch to ${other}`} onClick={() => setTheme(toggleTheme(pageThemeHost()))}>
      <Shape kind="half" />
      Theme
    </button>
  );
}
