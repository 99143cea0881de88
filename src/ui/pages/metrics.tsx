import { useRef, useState } from 'preact/hooks';
import { Sparkline } from '../components/sparkline.js';
import { DataTable } from '../components/table.js';
import { useRefresh } from '../components/refresh.js';
import { useTopic } from '../conn.js';
import { num } from '../format.js';
import { Page } from './common.js';

interface Row {
  key: string;
  family: string;
  type: string;
  help: string;
  labels: string;
  value: number;
}

/** Points kept per series for its small chart. */
const HISTORY = 60;

export function MetricsPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('metrics', 2000);
  const history = useRef(new Map<string, number[]>());
  const [rows, setRows] = useState<Row[]>([]);
  const { data, error } = useTopic('metrics', { every, node: props.node }, (d) => {
    const out: Row[] = [];
    const seen = new Set<string>();
    for (const f of d.families) {
      for (const s of f.series) {
        const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(', ');
        const key = `${f.name}{${labels}}`;
        const raw = s.value ?? s.count;
        const value = typeof raw === 'number' ? raw : Number(raw);
        const h = history.current.get(key) ?? [];
        h.push(value);
        if (h.length > HISTORY) h.shift();
        history.current.set(key, h);
        seen.add(key);
        out.push({ key, family: f.name, type: f.type, help: f.help, labels, value });
      }
    }
    for (const k of history.current.keys()) if (!seen.has(k)) history.current.delete(k);
    setRows(out);
  });
  return (
    <Page title="Metrics" controls={refresh} error={error} loading={data === undefined}>
      <p class="muted">
        Every series in the registry ({rows.length}); counters and histograms show their running total, with a chart of the last {HISTORY} readings.
      </p>
      <DataTable
        label="metrics"
        rows={rows}
        rowKey={(r) => r.key}
        height={640}
        columns={[
          { key: 'family', title: 'Metric', render: (r) => <span title={r.help}>{r.family}</span> },
          { key: 'labels', title: 'Labels' },
          { key: 'type', title: 'Type' },
          { key: 'value', title: 'Value', align: 'right', render: (r) => num(r.value) },
          { key: 'chart', title: 'Recent', value: () => '', render: (r) => <Sparkline values={history.current.get(r.key) ?? []} label={`recent values of ${r.key}`} /> },
        ]}
      />
    </Page>
  );
}
