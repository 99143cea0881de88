import { type Column, DataTable } from '../components/table.js';
import { useRefresh } from '../components/refresh.js';
import type { ChildRow, ClusterWorkerRow, MainRow, RequestRow, WorkerRow } from '../../client/index.js';
import { useTopic } from '../conn.js';
import { bytes, ms, percent, plain } from '../format.js';
import { href, setQuery } from '../router.js';
import { Card, Page } from './common.js';
import { ProcessDetail } from './process-detail.js';
import './processes.css';

type Unit = MainRow | WorkerRow | ChildRow | ClusterWorkerRow;
type Tab = 'threads' | 'requests';

/** Long command lines are cut here in the cell; the full text is in its title and the detail. */
const SHOWN_CHARS = 240;

function what(r: Unit): string {
  switch (r.kind) {
    case 'main':
      return `pid ${plain(r.pid)}`;
    case 'worker':
      return `thread ${r.threadId}${r.online ? '' : ' (starting)'}`;
    case 'child':
      return `${r.pid === null ? '' : `pid ${plain(r.pid)}: `}${r.command.join(' ')}`;
    default:
      return `worker ${r.workerId}, pid ${plain(r.pid)}, ${r.state}`;
  }
}

/** A cell that never widens its column: one line, cut with an ellipsis, the whole text on hover. */
function Clipped(props: { text: string }): preact.JSX.Element {
  const t = props.text;
  return (
    <span class="clip" title={t}>
      {t.length > SHOWN_CHARS ? `${t.slice(0, SHOWN_CHARS)}…` : t}
    </span>
  );
}

const KIND: Record<Unit['kind'], string> = { main: 'main', worker: 'worker', child: 'child', 'cluster-worker': 'cluster' };

const memoryOf = (r: Unit): number | null => ('rss' in r ? r.rss : null);
const ageOf = (r: Unit): number | null => ('ageMs' in r ? r.ageMs : null);
const eluOf = (r: Unit): number | null => ('eventLoopUtilization' in r ? r.eventLoopUtilization : null);

/** Memory first: what a user looks for first on this page is what holds the memory. */
export const UNITS_SORT = { key: 'memory', desc: true } as const;

const UNIT_COLUMNS: Column<Unit>[] = [
  { key: 'id', title: 'Id', width: '9.5em' },
  { key: 'kind', title: 'Kind', width: '5.5em', priority: 3, value: (r) => KIND[r.kind] },
  { key: 'what', title: 'What', value: what, render: (r) => <Clipped text={what(r)} /> },
  { key: 'elu', title: 'Event loop', width: '7.5em', align: 'right', priority: 2, value: eluOf, render: (r) => percent(eluOf(r)) },
  { key: 'memory', title: 'Memory', width: '7.5em', align: 'right', value: memoryOf, render: (r) => bytes(memoryOf(r)) },
  { key: 'age', title: 'Age', width: '6.5em', align: 'right', priority: 2, value: ageOf, render: (r) => ms(ageOf(r)) },
];

const REQUEST_COLUMNS: Column<RequestRow>[] = [
  { key: 'method', title: 'Method', width: '5.5em', priority: 3 },
  { key: 'url', title: 'URL', render: (r) => <Clipped text={r.url} /> },
  { key: 'ageMs', title: 'Age', width: '7.5em', align: 'right', render: (r) => ms(r.ageMs) },
  { key: 'remoteAddress', title: 'From', width: '9em', priority: 3 },
  { key: 'bytesRead', title: 'Read (conn.)', width: '8.5em', align: 'right', priority: 2, render: (r) => bytes(r.bytesRead) },
  { key: 'bytesWritten', title: 'Written (conn.)', width: '10em', align: 'right', priority: 2, render: (r) => bytes(r.bytesWritten) },
];

/**
 * The Processes page: execution units (default: most memory first) and, on the
 * second tab (`?tab=requests`, kept in the URL), the HTTP requests in flight;
 * a row's detail beside them, its id in the URL (`#/processes/<id>`).
 */
export function ProcessesPage(props: { node: string | undefined; selected: string | undefined; tab: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('processes', 4000);
  const { data: p, error } = useTopic('processes', { every, node: props.node });
  const units: Unit[] = p ? [p.main, ...p.workers, ...p.children, ...p.clusterWorkers] : [];
  const tab: Tab = props.tab === 'requests' ? 'requests' : 'threads';
  const select = (id: string): void => {
    location.hash = href('processes', id, { tab: tab === 'threads' ? undefined : tab });
  };
  const tabButton = (t: Tab, text: string): preact.JSX.Element => (
    <button type="button" role="tab" id={`proc-tab-${t}`} aria-controls="proc-panel" aria-selected={tab === t} onClick={() => setQuery('tab', t === 'threads' ? undefined : t)}>
      {text}
    </button>
  );
  return (
    <Page title="Processes" controls={refresh} error={error} loading={p === undefined}>
      {p && (
        <div class="split processes-page">
          <Card title="Execution units and requests" wide>
            <div class="tabs" role="tablist" aria-label="Processes">
              {tabButton('threads', `Threads and processes (${units.length})`)}
              {tabButton('requests', `Requests in flight (${p.requests.length})`)}
            </div>
            <div role="tabpanel" id="proc-panel" aria-labelledby={`proc-tab-${tab}`}>
              {tab === 'threads' ? (
                <DataTable label="execution units" rows={units} rowKey={(r) => r.id} selected={props.selected} onRow={(r) => select(r.id)} defaultSort={UNITS_SORT} columns={UNIT_COLUMNS} />
              ) : (
                <>
                  <p class="muted">{p.requestsTracked ? 'Request ages are exact while this page is open.' : 'Ages count from when each request was first seen.'}</p>
                  <DataTable label="requests in flight" rows={p.requests} rowKey={(r) => r.id} selected={props.selected} onRow={(r) => select(r.id)} defaultSort={{ key: 'ageMs', desc: true }} columns={REQUEST_COLUMNS} />
                </>
              )}
            </div>
          </Card>
          <div class="side">
            <Card title={props.selected ?? 'Details'}>
              {props.selected ? <ProcessDetail id={props.selected} node={props.node} every={every} /> : <p class="muted">Click a row for its details: resources, command line, headers.</p>}
            </Card>
          </div>
        </div>
      )}
    </Page>
  );
}
