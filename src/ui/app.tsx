import { useEffect, useState } from 'preact/hooks';
import { connection, useConnectionState, useTopic } from './conn.js';
import { AboutPage } from './pages/about.js';
import { ApplicationsPage } from './pages/applications.js';
import { CustomPage } from './pages/custom.js';
import { DiagnosticsPage } from './pages/diagnostics.js';
import { LoadPage } from './pages/load.js';
import { MemoryPage } from './pages/memory.js';
import { MetricsPage } from './pages/metrics.js';
import { PortsPage } from './pages/ports.js';
import { ProcessesPage } from './pages/processes.js';
import { SystemPage } from './pages/system.js';
import { TablesPage } from './pages/tables.js';
import { href, setQuery, useRoute } from './router.js';

const PAGES = [
  ['system', 'System'],
  ['load', 'Load charts'],
  ['memory', 'Memory'],
  ['applications', 'Applications'],
  ['processes', 'Processes'],
  ['ports', 'Ports'],
  ['tables', 'Tables'],
  ['metrics', 'Metrics'],
] as const;

interface NodeInfo {
  name: string;
  local: boolean;
  state: string;
}
interface PageInfo {
  title: string;
  command: string;
  apiOnly: boolean;
  refresh: number;
}

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
  const { data: nodes } = useTopic<NodeInfo[]>('nodes', { every: 5000 });
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
  const { data: pages } = useTopic<PageInfo[]>('pages', { every: 10_000, node });
  const menuPages = (pages ?? []).filter((p) => !p.apiOnly);
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [route.page, route.arg]);
  useEffect(() => {
    connection();
  }, []);
  const custom = route.page === 'page' ? menuPages.find((p) => p.command === route.arg) : undefined;
  const title = PAGES.find(([k]) => k === route.page)?.[1] ?? custom?.title ?? route.page;
  useEffect(() => {
    document.title = `${title} · wobserver`;
  }, [title]);

  let body: preact.JSX.Element;
  switch (route.page) {
    case 'system':
      body = <SystemPage node={node} />;
      break;
    case 'load':
      body = <LoadPage node={node} />;
      break;
    case 'memory':
      body = <MemoryPage node={node} />;
      break;
    case 'applications':
      body = <ApplicationsPage node={node} />;
      break;
    case 'processes':
      body = <ProcessesPage node={node} selected={route.arg} onSelect={(id) => (location.hash = href('processes', id))} />;
      break;
    case 'ports':
      body = <PortsPage node={node} />;
      break;
    case 'tables':
      body = <TablesPage node={node} name={route.arg} query={route.query} />;
      break;
    case 'metrics':
      body = <MetricsPage node={node} />;
      break;
    case 'page':
      body = route.arg === undefined ? <p>No page named.</p> : <CustomPage key={route.arg} command={route.arg} refresh={custom?.refresh ?? 0} node={node} />;
      break;
    case 'diagnostics':
      body = <DiagnosticsPage node={node} />;
      break;
    case 'about':
      body = <AboutPage node={node} />;
      break;
    default:
      body = <p role="alert">No page “{route.page}”.</p>;
  }

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
          {PAGES.map(([k, label]) => (
            <li>
              <a href={href(k)} aria-current={route.page === k ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
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
          <li>
            <a href={href('diagnostics')} aria-current={route.page === 'diagnostics' ? 'page' : undefined}>
              Diagnostics
            </a>
          </li>
          <li>
            <a href={href('about')} aria-current={route.page === 'about' ? 'page' : undefined}>
              About
            </a>
          </li>
        </ul>
      </nav>
      <main>{body}</main>
    </div>
  );
}
