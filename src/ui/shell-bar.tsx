import { useState } from 'preact/hooks';
import type { ConnectionState, NodeInfo } from '../client/index.js';
import { setQuery } from './router.js';
import { THEME_CHOICES, type ThemeChoice, currentTheme, setTheme } from './theme.js';

const STATE_TEXT = { connecting: 'connecting…', open: 'connected', fallback: 'connected (HTTP fallback)', reconnecting: 'reconnecting…', closed: 'closed' } as const;

export function ConnectionBadge(props: { state: ConnectionState }): preact.JSX.Element {
  return (
    <span class={`badge state-${props.state}`} role="status" aria-live="polite" data-testid="connection">
      {STATE_TEXT[props.state]}
    </span>
  );
}

/** The node looked at; the visible word "Node" is dropped on narrow screens (the select keeps its name). */
export function NodeSwitcher(props: { node: string | undefined; nodes: readonly NodeInfo[] | undefined }): preact.JSX.Element {
  return (
    <label class="nodes">
      <span class="nodes-label">Node</span>
      <select aria-label="Node" value={props.node ?? ''} onChange={(e) => setQuery('node', (e.target as HTMLSelectElement).value || undefined)}>
        {(props.nodes ?? []).map((n) => (
          <option value={n.local ? '' : n.name}>
            {n.name}
            {n.local ? ' (this node)' : ''}
            {n.state !== 'up' ? ` — ${n.state}` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

const THEME_TEXT: Record<ThemeChoice, string> = { system: '◐ System', light: '☀ Light', dark: '☾ Dark' };

/** System / Light / Dark, remembered in localStorage (theme.ts applies it). */
export function ThemeSwitcher(): preact.JSX.Element {
  const [choice, setChoice] = useState(currentTheme());
  return (
    <select
      class="theme"
      aria-label="Theme"
      value={choice}
      onChange={(e) => {
        const next = (e.target as HTMLSelectElement).value as ThemeChoice;
        setTheme(next);
        setChoice(next);
      }}
    >
      {THEME_CHOICES.map((t) => (
        <option value={t}>{THEME_TEXT[t]}</option>
      ))}
    </select>
  );
}
