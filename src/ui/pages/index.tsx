import type { CustomPageInfo, TopicName } from '../../client/index.js';
import type { Route } from '../router.js';
import { AboutPage } from './about.js';
import { ApplicationsPage } from './applications.js';
import { CustomPage } from './custom.js';
import { DiagnosticsPage } from './diagnostics.js';
import { EventLoopPage } from './eventloop.js';
import { FleetPage } from './fleet.js';
import { LoadPage } from './load.js';
import { LogsPage } from './logs.js';
import { MemoryPage } from './memory.js';
import { MetricsPage } from './metrics.js';
import { PortsPage } from './ports.js';
import { ProcessesPage } from './processes.js';
import { RequestLoggerPage } from './requestlog.js';
import { SystemPage } from './system.js';
import { TablesPage } from './tables.js';
import { TrafficPage } from './traffic.js';

/** What a page is shown with: the node looked at, the route, and the custom pages that node has. */
export interface PageContext {
  node: string | undefined;
  route: Route;
  customPages: readonly CustomPageInfo[];
  /** Every custom page of the node, API-only ones too; undefined until the `pages` topic answers. */
  allPages?: readonly CustomPageInfo[] | undefined;
}

/**
 * One page of the UI: its route (`#/<route>`), the topic it shows, its label in
 * the menu and where (`main`, `end` after the custom pages, or none), and how
 * it renders. A new page is its file in this folder and one line below.
 */
export interface PageEntry {
  route: string;
  topic: TopicName;
  label: string;
  menu: 'main' | 'end' | 'none';
  render(c: PageContext): preact.JSX.Element;
  /** The title of the browser tab, when it is not the label. */
  title?(c: PageContext): string | undefined;
}

/** Every page, in menu order. */
export const PAGES: readonly PageEntry[] = [
  { route: 'system', topic: 'system', label: 'System', menu: 'main', render: (c) => <SystemPage node={c.node} /> },
  { route: 'load', topic: 'load', label: 'Load charts', menu: 'main', render: (c) => <LoadPage node={c.node} /> },
  { route: 'memory', topic: 'memory', label: 'Memory', menu: 'main', render: (c) => <MemoryPage node={c.node} /> },
  { route: 'applications', topic: 'applications', label: 'Applications', menu: 'main', render: (c) => <ApplicationsPage node={c.node} /> },
  {
    route: 'processes',
    topic: 'processes',
    label: 'Processes',
    menu: 'main',
    render: (c) => <ProcessesPage node={c.node} selected={c.route.arg} tab={c.route.query.get('tab') ?? undefined} />,
  },
  { route: 'eventloop', topic: 'eventloop', label: 'Event loop', menu: 'main', render: (c) => <EventLoopPage node={c.node} selected={c.route.arg} pages={c.allPages} /> },
  { route: 'traffic', topic: 'traffic', label: 'Traffic', menu: 'main', render: (c) => <TrafficPage node={c.node} selected={c.route.arg} /> },
  { route: 'logs', topic: 'logs', label: 'Logs', menu: 'main', render: (c) => <LogsPage node={c.node} /> },
  { route: 'requestlog', topic: 'requestlog', label: 'Request logger', menu: 'main', render: (c) => <RequestLoggerPage node={c.node} /> },
  { route: 'ports', topic: 'ports', label: 'Ports', menu: 'main', render: (c) => <PortsPage node={c.node} /> },
  { route: 'tables', topic: 'tables', label: 'Tables', menu: 'main', render: (c) => <TablesPage node={c.node} name={c.route.arg} query={c.route.query} /> },
  { route: 'metrics', topic: 'metrics', label: 'Metrics', menu: 'main', render: (c) => <MetricsPage node={c.node} /> },
  { route: 'fleet', topic: 'fleet', label: 'Fleet', menu: 'main', render: () => <FleetPage /> },
  {
    route: 'page',
    topic: 'pages',
    label: 'Custom page',
    menu: 'none',
    render: (c) => {
      const command = c.route.arg;
      if (command === undefined) return <p>No page named.</p>;
      // Undefined until the list is known (opened by a link or a reload): the page waits for its own refresh.
      const refresh = c.allPages === undefined ? undefined : (c.allPages.find((p) => p.command === command)?.refresh ?? 0);
      return <CustomPage key={command} command={command} refresh={refresh} node={c.node} />;
    },
    title: (c) => c.customPages.find((p) => p.command === c.route.arg)?.title,
  },
  { route: 'diagnostics', topic: 'diagnostics', label: 'Diagnostics', menu: 'end', render: (c) => <DiagnosticsPage node={c.node} /> },
  { route: 'about', topic: 'about', label: 'About', menu: 'end', render: (c) => <AboutPage node={c.node} /> },
];

export function pageOf(route: string): PageEntry | undefined {
  return PAGES.find((p) => p.route === route);
}
