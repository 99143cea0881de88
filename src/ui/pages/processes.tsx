import { useState } from 'preact/hooks';
import { Kv } from '../components/kv.js';
import { DataTable } from '../components/table.js';
import { useRefresh } from '../components/refresh.js';
import type { ChildRow, ClusterWorkerRow, MainRow, RequestRow, WorkerRow } from '../../client/index.js';
import { useTopic } from '../conn.js';
import { bytes, cell, ms, percent } from '../format.js';
import { Card, Page } from './common.js';

/** A row of any kind, with every field it has (the details show them all). */
type Row = (MainRow | WorkerRow | ChildRow | ClusterWorkerRow | RequestRow) & Record<string, unknown>;

function asRows(rows: readonly (MainRow | WorkerRow | ChildRow | ClusterWorkerRow | RequestRow)[]): Row[] {
  return rows as Row[];
}
function describe(r: Row): string {
  switch (r.kind) {
    case 'main':
      return `pid ${r.pid}`;
    case 'worker':
      return `thread ${r.threadId}${r.online ? '' : ' (starting)'}`;
    case 'child':
      return (r.command as string[]).join(' ');
    case 'cluster-worker':
      return `worker ${r.workerId}, pid ${r.pid}, ${r.state}`;
    default:
      return `${r.method} ${r.url}`;
  }
}

function Detail(props: { id: string; node: string | undefined; every: number }): preact.JSX.Element {
  const { data, error } = useTopic('processes', { params: { id: props.id }, every: props.every, node: props.node });
  if (error) return <p class="error">{error.code}: {error.message}</p>;
  if (!data) return <p class="muted">Loading…</p>;
  return (
    <Kv
      label="Process details"
      rows={Object.entries(data).map(([k, v]) => [k, typeof v === 'object' && v !== null ? <pre>{JSON.stringify(v, null, 2)}</pre> : /bytes|rss|heap/i.test(k) && typeof v === 'number' ? bytes(v) : cell(v)])}
    />
  );
}

export function ProcessesPage(props: { node: string | undefined; selected: string | undefined; onSelect: (id: string | undefined) => void }): preact.JSX.Element {
  const [every, refresh] = useRefresh('processes', 4000);
  const { data: p, error } = useTopic('processes', { every, node: props.node });
  const units = p ? asRows([p.main, ...p.workers, ...p.children, ...p.clusterWorkers]) : [];
  const [tab, setTab] = useState<'units' | 'requests'>('units');
  return (
    <Page title="Processes" controls={refresh} error={error} loading={p === undefined}>
      {p && (
        <div class="split">
          <Card title="Execution units and requests" wide>
            <div class="tabs" role="tablist">
              <button role="tab" aria-selected={tab === 'units'} onClick={() => setTab('units')}>
                Threads and processes ({units.length})
              </button>
              <button role="tab" aria-selected={tab === 'requests'} onClick={() => setTab('requests')}>
                Requests in flight ({p.requests.length})
              </button>
            </div>
            {tab === 'units' ? (
              <DataTable
                label="execution units"
                rows={units}
                rowKey={(r) => r.id}
                selected={props.selected}
                onRow={(r) => props.onSelect(r.id)}
                columns={[
                  { key: 'id', title: 'Id' },
                  { key: 'kind', title: 'Kind' },
                  { key: 'what', title: 'What', value: describe },
                  { key: 'elu', title: 'Event loop', align: 'right', value: (r) => r.eventLoopUtilization, render: (r) => (typeof r.eventLoopUtilization === 'number' ? percent(r.eventLoopUtilization) : '–') },
                  { key: 'rss', title: 'Memory', align: 'right', value: (r) => r.rss ?? r.heapUsed, render: (r) => bytes((r.rss ?? r.heapUsed) as number) },
                  { key: 'age', title: 'Age', align: 'right', value: (r) => r.ageMs, render: (r) => ms(r.ageMs as number) },
                ]}
              />
            ) : (
              <>
                <p class="muted">{p.requestsTracked ? 'Request ages are exact while this page is open.' : 'Ages count from when each request was first seen.'}</p>
                <DataTable
                  label="requests in flight"
                  rows={p.requests}
                  rowKey={(r) => r.id}
                  selected={props.selected}
                  onRow={(r) => props.onSelect(r.id)}
                  defaultSort={{ key: 'ageMs', desc: true }}
                  columns={[
                    { key: 'method', title: 'Method' },
                    { key: 'url', title: 'URL' },
                    { key: 'ageMs', title: 'Age', align: 'right', render: (r) => ms(r.ageMs as number) },
                    { key: 'remoteAddress', title: 'From' },
                    { key: 'bytesRead', title: 'Read (conn.)', align: 'right', render: (r) => bytes(r.bytesRead as number) },
                    { key: 'bytesWritten', title: 'Written (conn.)', align: 'right', render: (r) => bytes(r.bytesWritten as number) },
                  ]}
                />
              </>
            )}
          </Card>
          <div class="side">
            <Card title={props.selected ?? 'Details'}>
              {props.selected ? <Detail id={props.selected} node={props.node} every={every} /> : <p class="muted">Click a row for its details: stack, resources, headers.</p>}
            </Card>
          </div>
        </div>
      )}
    </Page>
  );
}
