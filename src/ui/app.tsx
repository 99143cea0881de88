import { useEffect, useState } from 'preact/hooks';
import { connection, useConnectionState, useTopic } from './conn.js';
import { PAGES, pageOf } from './pages/index.js';
import { href, setQuery, useRoute } from './router.js';

const STATE_TEXT = { connecting: 'connecting…', open: 'connected', fallback: 'connected (HTTP fallback)', reconnecting: 'reconnecting…', closed: 'closed' } as const;

function ConnectionBadge(): preact.JSX.Element {
  const state = useConnectionState();
  return (
    <span class={`badge state-${state}`} role="status" aria-live="polite" data-testid="connection">
      {STATE_TEXT[state]}
    </span>
  );
}

function NodeSwitcher(props: { node: string | undefined }): preact.JSX.Element {
  const { data: nodes } = useTopic('nodes', { every: 5000 });
  return (
    <label class="nodes">
      Node{' '}
      <select aria-label="Node" value={props.node ?? ''} onChange={(e) => setQuery('node', (e.target as HTMLSelectElement).value || undefined)}>
        {(nodes ?? []).map((n) => (
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

/** The UI; `onSignOut` when the browser is signed in by a session (the header then has a Sign out button). */
export function App(props: { onSignOut?: (() => void) | undefined } = {}): preact.JSX.Element {
  const route = useRoute();
  const node = route.query.get('node') ?? undefined;
  const { data: pages } = useTopic('pages', { every: 10_000, node });
  const menuPages = (pages ?? []).filter((p) => !p.apiOnly);
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [route.page, route.arg]);
  useEffect(() => {
    connection();
  }, []);
  const page = pageOf(route.page);
  const context = { node, route, customPages: menuPages };
  const title = (page?.title?.(context) ?? page?.label) ?? route.page;
  useEffect(() => {
    document.title = `${title} · wobserver`;
  }, [title]);
  const body = page === undefined ? <p role="alert">No page “{route.page}”.</p> : page.render(context);
  const link = (p: (typeof PAGES)[number]): preact.JSX.Element => (
    <li>
      <a href={href(p.route)} aria-current={route.page === p.route ? 'page' : undefined}>
        {p.label}
      </a>
    </li>
  );

  return (
    <div class="shell">
      <header class="top">
        <button class="menu-toggle" aria-label="Menu" aria-expanded={menuOpen} onClick={() => setMenuOpen(!menuOpen)}>
          ☰
        </button>
        <a class="brand" href={href('system')}>
          wobserver
        </a>
        <NodeSwitcher node={node} />
        <ConnectionBadge />
        {props.onSignOut && (
          <button type="button" class="sign-out" onClick={props.onSignOut}>
            Sign out
          </button>
        )}
      </header>
      <nav class={`side-nav${menuOpen ? ' open' : ''}`} aria-label="Pages">
        <ul>
          {PAGES.filter((p) => p.menu === 'main').map(link)}
          {menuPages.length > 0 && (
            <li>
              <details open>
                <summary>Custom pages</summary>
                <ul>
                  {menuPages.map((p) => (
                    <li>
                      <a href={href('page', p.command)} aria-current={route.page === 'page' && route.arg === p.command ? 'page' : undefined}>
                        {p.title}
                      </a>
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          )}
          {PAGES.filter((p) => p.menu === 'end').map(link)}
        </ul>
      </nav>
      <main>{body}</main>
    </div>
  );
}
