/**
 * Light or dark: follows the system setting until the toggle is used; the choice is remembered
 * (localStorage) and set as `data-theme` on the root element, which app.css reads.
 */
import { useEffect, useState } from 'react';

type Theme = 'light' | 'dark';
const KEY = 'seqscope.theme';

function stored(): Theme | undefined {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : undefined;
  } catch {
    return undefined;
  }
}

const systemDark = () => typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;

/** The theme in effect: the stored choice, else the system's. */
export function currentTheme(): Theme {
  return stored() ?? (systemDark() ? 'dark' : 'light');
}

// Before the first render: no flash of the other theme.
const initial = stored();
if (initial) document.documentElement.dataset.theme = initial;

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(currentTheme);
  useEffect(() => {
    // Follow the system while no choice is stored.
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const on = () => !stored() && setTheme(mq.matches ? 'dark' : 'light');
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      data-testid="theme-toggle"
      data-theme-now={theme}
      aria-label={`Switch to ${next} mode`}
      title={`Switch to ${next} mode`}
      onClick={() => {
        try {
          localStorage.setItem(KEY, next);
        } catch {
          // Not remembered; still switched.
        }
        document.documentElement.dataset.theme = next;
        setTheme(next);
      }}
    >
      {theme === 'dark' ? '☀' : '☾'}
    </button>
  );
}
