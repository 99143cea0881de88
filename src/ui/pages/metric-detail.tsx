import { COLORS, type ChartSeries, LineChart } from '../components/chart.js';
import { bucketQuantile, countsBetween, type MetricUnit, ratePerSecond } from '../components/metric-math.js';
import { Card } from './common.js';

/** What the Metrics page keeps of one series while it is shown: reading times, values, and a histogram's bucket counts. */
export interface SeriesHistory {
  t: number[];
  v: number[];
  counts?: number[][];
}

export interface MetricRow {
  key: string;
  family: string;
  type: string;
  help: string;
  labels: string;
  value: number;
  unit: MetricUnit;
  buckets?: readonly number[];
}

const QUANTILES = [
  [0.5, 'p50'],
  [0.9, 'p90'],
  [0.99, 'p99'],
] as const;

/**
 * A series' full chart: a gauge's values, a counter's rate per second, a
 * histogram's p50 / p90 / p99 over time (estimated from its buckets, between
 * one reading and the next), with the family's help text and unit.
 */
export function MetricDetail(props: { row: MetricRow; history: SeriesHistory | undefined; onClose: () => void }): preact.JSX.Element {
  const { row, history } = props;
  const h = history ?? { t: [], v: [] };
  const u = row.unit;
  let series: ChartSeries[];
  let what: string;
  if ((row.type === 'histogram' || row.type === 'timer') && row.buckets !== undefined && h.counts !== undefined) {
    const counts = h.counts;
    const buckets = row.buckets;
    series = QUANTILES.map(([q, label], i) => ({
      label,
      color: COLORS[i]!,
      values: counts.map((c, j) => {
        const d = j === 0 ? undefined : countsBetween(counts[j - 1]!, c);
        return d === undefined ? Number.NaN : bucketQuantile(q, buckets, d) * u.factor;
      }),
    }));
    what = 'p50, p90 and p99 of what was observed between readings, estimated from the buckets';
  } else if (u.rate) {
    series = [{ label: 'per second', color: COLORS[0]!, values: ratePerSecond(h.t, h.v) }];
    what = 'the rate per second between readings';
  } else {
    series = [{ label: 'value', color: COLORS[0]!, values: h.v.map((v) => v * u.factor) }];
    what = 'its value at each reading';
  }
  // Charts leave gaps for readings without a figure (no observations, a reset).
  const values = series.map((s) => ({ ...s, values: s.values.map((v) => (Number.isFinite(v) ? v : (null as unknown as number))) }));
  return (
    <Card title={`${row.family}${row.labels ? `{${row.labels}}` : ''}`} wide>
      <div class="metric-detail" data-testid="metric-detail">
        <p class="metric-help">{row.help || <span class="muted">No help text.</span>}</p>
        <p class="muted">
          {row.type}, in {u.name}; the chart shows {what}.{' '}
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </p>
        <LineChart title={`${row.family} over time`} timestamps={h.t} kind={u.kind} format={u.chartFormat} height={220} series={values} />
      </div>
    </Card>
  );
}
