/** The theme a user picks: follow the system's setting, or always light, or always dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const KEY = 'wobserver.theme';

/** Dispatched on `window` when the theme in force changes: what draws with the CSS variables itself (a canvas chart) reads them again. */
export const THEME_EVENT = 'wobserver-theme';
const DARK = '(prefers-color-scheme: dark)';

/** The remembered choice; `system` when none (or localStorage is unavailable). */
export function storedTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return THEME_CHOICES.includes(v as ThemeChoice) ? (v as ThemeChoice) : 'system';
  } catch {
    return 'system';
  }
}

let choice: ThemeChoice = 'system';
let following: MediaQueryList | undefined;
const follow = (): void => apply();

function apply(): void {
  const theme = choice === 'dark' || (choice === 'system' && matchMedia(DARK).matches) ? 'dark' : 'light';
  const root = document.documentElement;
  root.dataset.themeChoice = choice;
  if (root.dataset.theme === theme) return;
  // `data-theme` always names the theme in force (the CSS has one light and one dark set of variables).
  root.dataset.theme = theme;
  dispatchEvent(new Event(THEME_EVENT));
}

/**
 * Applies a theme to <html> (`data-theme="light"|"dark"`, `color-scheme` follows
 * in the CSS) and remembers it; `system` follows the system's setting as it changes.
 * main.tsx calls it before the first render, so the page never flashes the other theme.
 */
export function setTheme(next: ThemeChoice, remember = true): void {
  choice = next;
  if (remember) {
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Private mode without storage: the choice lasts for this page.
    }
  }
  if (following === undefined) {
    following = matchMedia(DARK);
    following.addEventListener('change', follow);
  }
  apply();
}

/** The choice in force. */
export function currentTheme(): ThemeChoice {
  return choice;
}
