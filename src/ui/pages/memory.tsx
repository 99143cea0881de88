import type { HeapSpace } from '../../client/index.js';
import { COLORS, LineChart } from '../components/chart.js';
import { Kv } from '../components/kv.js';
import { useLoadHistory } from '../components/load-history.js';
import { useRefresh } from '../components/refresh.js';
import { DataTable } from '../components/table.js';
import { useTopic } from '../conn.js';
import { bytes, date, num, words } from '../format.js';
import { Card, Page } from './common.js';
import './memory.css';

/** Ten minutes of load samples for the memory chart, sent every 2 s while the page is shown. */
const KEEP = 600;

/** A heap space's V8 name in words: `new_space` → "New space", `read_only_space` → "Read-only space". */
export function spaceName(name: string): string {
  return words(name).replace(/^Read only/, 'Read-only');
}

export function MemoryPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('memory', 2000);
  const { data: m, error } = useTopic('memory', { every, node: props.node });
  const { columns: load } = useLoadHistory(props.node, 2000, KEEP);
  const used = m?.spaces.filter((s) => s.size > 0) ?? [];
  const empty = m?.spaces.filter((s) => s.size === 0) ?? [];
  // One scale for every bar: the largest space's size is the full width.
  const scale = Math.max(1, ...used.map((s) => s.size));
  const line = (label: string, key: 'rss' | 'heapUsed' | 'heapTotal' | 'external', i: number) => ({ label, color: COLORS[i]!, values: load.series[key] ?? [] });
  return (
    <Page title="Memory" controls={refresh} error={error} loading={m === undefined}>
      {m && (
        <>
          {m.warnings.length > 0 && (
            <ul class="warnings" role="alert">
              {m.warnings.map((w) => (
                <li>{w}</li>
              ))}
            </ul>
          )}
          <Card title="Heap spaces" wide>
            <p class="muted">Used (dark) of each space's size (light), all on one scale: a full bar is {bytes(scale)}.</p>
            <ul class="spaces" aria-label="Heap spaces, used of size">
              {used.map((s) => (
                <SpaceBar s={s} scale={scale} />
              ))}
            </ul>
            {empty.length > 0 && (
              <details class="empty-spaces">
                <summary>
                  {empty.length} empty space{empty.length === 1 ? '' : 's'}
                </summary>
                <p class="muted">{empty.map((s) => spaceName(s.name)).join(', ')}: nothing allocated there yet.</p>
              </details>
            )}
            <DataTable
              label="heap spaces"
              rows={used}
              rowKey={(s) => s.name}
              columns={[
                { key: 'name', title: 'Space', value: (s) => spaceName(s.name) },
                { key: 'size', title: 'Size', align: 'right', render: (s) => bytes(s.size) },
                { key: 'used', title: 'Used', align: 'right', render: (s) => bytes(s.used) },
                { key: 'available', title: 'Available', align: 'right', priority: 2, render: (s) => bytes(s.available) },
                { key: 'physical', title: 'Physical', align: 'right', priority: 3, render: (s) => bytes(s.physical) },
              ]}
            />
          </Card>
          <div class="charts memory-chart">
            <LineChart
              title="Memory over time"
              timestamps={load.timestamps}
              kind="bytes"
              format={bytes}
              height={220}
              series={[line('RSS', 'rss', 0), line('heap used', 'heapUsed', 1), line('heap total', 'heapTotal', 2), line('external', 'external', 3)]}
            />
          </div>
          <div class="cards">
            <Card title="Heap statistics">
              <Kv rows={Object.entries(m.heap).map(([k, v]) => [words(k), /^number/.test(k) ? num(v) : bytes(v)])} />
            </Card>
            <Card title="Code statistics">
              <Kv rows={[...Object.entries(m.code).filter(([k]) => k !== 'collectedAt').map(([k, v]): [string, string] => [words(k), bytes(v)]), ['Read at', date(m.code.collectedAt)]]} />
            </Card>
            <Card title="Process memory">
              <Kv rows={Object.entries(m.process).map(([k, v]) => [words(k), bytes(v)])} />
            </Card>
          </div>
        </>
      )}
    </Page>
  );
}

function SpaceBar(props: { s: HeapSpace; scale: number }): preact.JSX.Element {
  const { s, scale } = props;
  const w = (n: number): string => `${((n / scale) * 100).toFixed(2)}%`;
  return (
    <li class="space" data-testid={`space-${s.name}`} data-size={s.size}>
      <span class="space-label">{spaceName(s.name)}</span>
      <span class="space-track" aria-hidden="true">
        <span class="space-size" style={{ width: w(s.size) }}>
          <span class="space-used" style={{ width: `${((s.used / s.size) * 100).toFixed(2)}%` }} />
        </span>
      </span>
      <span class="space-value">
        {bytes(s.used)} of {bytes(s.size)}
      </span>
    </li>
  );
}
