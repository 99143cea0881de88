import { useRef, useState } from 'preact/hooks';
import { metricUnit } from '../components/metric-math.js';
import { useRefresh } from '../components/refresh.js';
import { Sparkline } from '../components/sparkline.js';
import { DataTable } from '../components/table.js';
import { useTopic } from '../conn.js';
import { MetricDetail, type MetricRow, type SeriesHistory } from './metric-detail.js';
import { num } from '../format.js';
import { Page } from './common.js';
import './metrics.css';

/** Readings kept per series, for its small chart and its full one. */
const HISTORY = 120;
/** Readings the small chart shows. */
const SPARK = 60;

export function MetricsPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('metrics', 2000);
  const history = useRef(new Map<string, SeriesHistory>());
  const [rows, setRows] = useState<MetricRow[]>([]);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const { data, error } = useTopic('metrics', { every, node: props.node }, (d) => {
    const out: MetricRow[] = [];
    const seen = new Set<string>();
    for (const f of d.families) {
      const unit = metricUnit(f);
      for (const s of f.series) {
        const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(', ');
        const key = `${f.name}{${labels}}`;
        const raw = s.value ?? s.count;
        const value = typeof raw === 'number' ? raw : Number(raw);
        const h = history.current.get(key) ?? { t: [], v: [] };
        h.t.push(d.timestamp);
        h.v.push(value);
        if (s.counts !== undefined) (h.counts ??= []).push(s.counts.map(Number));
        if (h.t.length > HISTORY) {
          h.t.shift();
          h.v.shift();
          h.counts?.shift();
        }
        history.current.set(key, h);
        seen.add(key);
        out.push({ key, family: f.name, type: f.type, help: f.help, labels, value, unit, ...(f.buckets ? { buckets: f.buckets } : {}) });
      }
    }
    for (const k of history.current.keys()) if (!seen.has(k)) history.current.delete(k);
    setRows(out);
  });
  const open = rows.find((r) => r.key === selected);
  return (
    <Page title="Metrics" controls={refresh} error={error} loading={data === undefined}>
      <p class="muted">
        Every series in the registry ({rows.length}); counters and histograms show their running total, with the last {SPARK} readings and their range. Open a row for its chart.
      </p>
      {open && <MetricDetail row={open} history={history.current.get(open.key)} onClose={() => setSelected(undefined)} />}
      <DataTable
        label="metrics"
        rows={rows}
        rowKey={(r) => r.key}
        height={640}
        onRow={(r) => setSelected(r.key === selected ? undefined : r.key)}
        {...(selected !== undefined ? { selected } : {})}
        columns={[
          { key: 'family', title: 'Metric', render: (r) => <span title={r.help}>{r.family}</span> },
          { key: 'labels', title: 'Labels', priority: 2 },
          { key: 'type', title: 'Type', priority: 3 },
          { key: 'value', title: 'Value', align: 'right', render: (r) => (isHistogram(r) ? num(r.value) : r.unit.format(r.value)) },
          {
            key: 'chart',
            title: 'Recent',
            priority: 2,
            value: () => '',
            render: (r) => <Sparkline values={history.current.get(r.key)?.v.slice(-SPARK) ?? []} width={100} height={22} label={`recent values of ${r.key}`} scale={isHistogram(r) ? num : r.unit.format} />,
          },
        ]}
      />
    </Page>
  );
}

/** A histogram's or timer's row shows its count of observations, whatever its unit. */
function isHistogram(r: MetricRow): boolean {
  return r.type === 'histogram' || r.type === 'timer';
}
