import type { FleetRow, FleetSummary } from '../../client/index.js';
import { type Column, DataTable } from '../components/table.js';
import { useRefresh } from '../components/refresh.js';
import { useTopic } from '../conn.js';
import { bytes, date, ms, num, percent, plain, seconds } from '../format.js';
import { Meter, Page } from './common.js';
import './fleet.css';

/** The link that switches the UI to a node, as the node switcher does (`?node=`, none for this node). */
export function nodeLink(r: FleetRow): string {
  return `#/system${r.local ? '' : `?node=${encodeURIComponent(r.name)}`}`;
}

/** Rows shown in full before the table scrolls virtually: a fleet of up to this many is one page. */
const ALL_ROWS = 200;
const ROW_HEIGHT = 28;

const STATE_TEXT: Record<FleetRow['state'], string> = { up: 'up', down: 'down', timeout: 'timeout', invalid: 'invalid answer', error: 'error', unknown: 'not asked' };

/** A figure of the row's summary: dimmed and marked stale when the node is not up (its last answer). */
function figure(pick: (s: FleetSummary) => number | null, show: (v: number | null) => string): Pick<Column<FleetRow>, 'value' | 'render'> {
  return {
    value: (r) => (r.summary === undefined ? undefined : pick(r.summary)),
    render: (r) => {
      if (r.summary === undefined) return '–';
      const text = show(pick(r.summary));
      return r.state === 'up' ? text : <span class="stale" title={`stale: last answer ${date(r.lastSeen)}`}>{text}</span>;
    },
  };
}

const COLUMNS: Column<FleetRow>[] = [
  {
    key: 'name',
    title: 'Node',
    render: (r) => (
      <a href={nodeLink(r)} onClick={(e) => e.stopPropagation()}>
        {r.name}
        {r.local ? ' (this node)' : ''}
      </a>
    ),
  },
  {
    key: 'state',
    title: 'State',
    render: (r) => (
      <span class={`fleet-state s-${r.state}`} title={r.code === undefined ? undefined : `${r.code}: ${r.message ?? ''}`}>
        {STATE_TEXT[r.state]}
      </span>
    ),
  },
  { key: 'cpu', title: 'CPU', align: 'right', ...figure((s) => s.cpu, (v) => percent(v)) },
  {
    key: 'rss',
    title: 'Memory',
    align: 'right',
    value: (r) => r.summary?.rss,
    render: (r) => {
      const s = r.summary;
      if (s === undefined) return '–';
      const of = s.memoryLimit > 0 ? s.rss / s.memoryLimit : 0;
      return (
        <span class={`with-meter${r.state === 'up' ? '' : ' stale'}`} title={`${bytes(s.rss)} of ${bytes(s.memoryLimit)} (${s.memorySource} limit)`}>
          {bytes(s.rss)}
          <Meter fraction={of} label={`Memory of ${r.name}: ${percent(of)} of its limit`} />
        </span>
      );
    },
  },
  { key: 'elu', title: 'Event loop', align: 'right', priority: 2, ...figure((s) => s.eventLoopUtilization, (v) => percent(v)) },
  { key: 'delay', title: 'Delay p99', align: 'right', priority: 2, ...figure((s) => s.delayP99Ms, ms) },
  { key: 'requests', title: 'Requests', align: 'right', priority: 2, ...figure((s) => s.requestsInFlight, num) },
  { key: 'uptime', title: 'Uptime', align: 'right', priority: 3, ...figure((s) => s.uptimeSeconds, seconds) },
  { key: 'version', title: 'Node.js', priority: 3, value: (r) => r.summary?.nodeVersion },
  { key: 'pid', title: 'PID', align: 'right', priority: 3, ...figure((s) => s.pid, plain) },
];

/** Every node at once, from the server's one shared fan-out; a row (or its name) switches the UI to that node. */
export function FleetPage(): preact.JSX.Element {
  const [every, refresh] = useRefresh('fleet', 2000);
  const { data, error } = useTopic('fleet', { every });
  const rows = data?.nodes ?? [];
  const up = rows.filter((r) => r.state === 'up').length;
  return (
    <Page title="Fleet" controls={refresh} error={error} loading={data === undefined}>
      {data && (
        <>
          <p class="fleet-summary" data-testid="fleet-summary">
            {rows.length} {rows.length === 1 ? 'node' : 'nodes'}: {up} up
            {up < rows.length ? `, ${rows.length - up} not answering` : ''} · asked in {ms(data.tookMs)}, each waited for at most {ms(data.timeoutMs)}
          </p>
          <DataTable
            label="nodes"
            rows={rows}
            rowKey={(r) => r.name}
            columns={COLUMNS}
            defaultSort={{ key: 'name' }}
            height={rows.length <= ALL_ROWS ? (rows.length + 1) * ROW_HEIGHT + 2 : undefined}
            onRow={(r) => (location.hash = nodeLink(r))}
          />
        </>
      )}
    </Page>
  );
}
