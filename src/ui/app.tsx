import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConnectionState } from '../client/index.js';
import { connection, useConnectionState, useTopic } from './conn.js';
import { PAGES, pageOf } from './pages/index.js';
import { href, useRoute } from './router.js';
import { ConnectionBadge, NodeSwitcher, ThemeSwitcher } from './shell-bar.js';
import { ViewingContext, viewingOf } from './viewing.js';

/** When the connection last changed state (ms since the epoch), for "stale since". */
function useStateSince(state: ConnectionState): number {
  const [since, setSince] = useState(Date.now());
  useEffect(() => setSince(Date.now()), [state]);
  return since;
}

/** The UI; `onSignOut` when the browser is signed in by a session (the header then has a Sign out button). */
export function App(props: { onSignOut?: (() => void) | undefined } = {}): preact.JSX.Element {
  const route = useRoute();
  const node = route.query.get('node') ?? undefined;
  const state = useConnectionState();
  const since = useStateSince(state);
  const { data: nodes } = useTopic('nodes', { every: 5000 });
  const { data: pages } = useTopic('pages', { every: 10_000, node });
  const menuPages = (pages ?? []).filter((p) => !p.apiOnly);
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [route.page, route.arg]);
  useEffect(() => {
    connection();
  }, []);
  const page = pageOf(route.page);
  const context = { node, route, customPages: menuPages, allPages: pages };
  const title = (page?.title?.(context) ?? page?.label) ?? route.page;
  useEffect(() => {
    document.title = `${title} · wobserver`;
  }, [title]);
  const hello = connection().hello?.node;
  const viewing = useMemo(() => viewingOf(node, nodes, state, since, typeof hello === 'string' ? hello : undefined), [node, nodes, state, since, hello]);
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
        <button type="button" class="menu-toggle" aria-label="Menu" aria-expanded={menuOpen} aria-controls="side-nav" onClick={() => setMenuOpen(!menuOpen)}>
          ☰
        </button>
        <a class="brand" href={href('system')}>
          wobserver
        </a>
        <ConnectionBadge state={state} />
        <NodeSwitcher node={node} nodes={nodes} />
        <ThemeSwitcher />
        {props.onSignOut && (
          <button type="button" class="sign-out" onClick={props.onSignOut}>
            Sign out
          </button>
        )}
      </header>
      <nav id="side-nav" class={`side-nav${menuOpen ? ' open' : ''}`} aria-label="Pages">
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
      <main>
        <ViewingContext.Provider value={viewing}>{body}</ViewingContext.Provider>
      </main>
    </div>
  );
}
