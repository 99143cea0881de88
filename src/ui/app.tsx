import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConnectionState, NodeInfo } from '../client/index.js';
import { connection, useConnectionState, useTopic } from './conn.js';
import { PAGES, pageOf } from './pages/index.js';
import { href, useRoute } from './router.js';
import { ConnectionBadge, NodeSwitcher, ThemeSwitcher } from './shell-bar.js';
import { type Staleness, type Viewing, ViewingContext } from './viewing.js';

/** When the connection last changed state (ms since the epoch), for "stale since". */
function useStateSince(state: ConnectionState): number {
  const [since, setSince] = useState(Date.now());
  useEffect(() => setSince(Date.now()), [state]);
  return since;
}

/** Which node is looked at, and whether what the page shows is old: the connection is down, or that node is. */
function viewingOf(node: string | undefined, nodes: readonly NodeInfo[] | undefined, state: ConnectionState, since: number): Viewing {
  const viewed = nodes?.find((n) => (node === undefined ? n.local : n.name === node));
  const hello = connection().hello?.node;
  const nodeName = viewed?.name ?? node ?? (typeof hello === 'string' ? hello : undefined);
  let stale: Staleness | undefined;
  if (state === 'reconnecting' || state === 'closed') stale = { reason: state === 'closed' ? 'disconnected' : 'reconnecting', since };
  else if (viewed !== undefined && viewed.state !== 'up') stale = { reason: viewed.state === 'down' ? 'node down' : 'node unknown', since: viewed.lastSeen };
  return { nodeName, stale };
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
  const viewing = useMemo(() => viewingOf(node, nodes, state, since), [node, nodes, state, since]);
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
