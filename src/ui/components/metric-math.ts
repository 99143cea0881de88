import type { JsonFamily } from '../../client/index.js';
import { bytes, date, ms, num, percent, seconds } from '../format.js';
import type { AxisKind } from './ticks.js';

/**
 * The q-quantile (0..1) of a histogram from its buckets, as Prometheus'
 * `histogram_quantile` estimates it: linear within the bucket that holds it,
 * from 0 (or the bucket below) to its upper bound; in the +Inf bucket, the
 * largest finite bound. `counts` are per bucket (not cumulative), the last
 * one +Inf's. NaN when there are no observations.
 *
 * @example
 * bucketQuantile(0.5, [1, 2, 4], [0, 10, 0, 0]) // 1.5
 */
export function bucketQuantile(q: number, bounds: readonly number[], counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!(total > 0) || bounds.length === 0) return Number.NaN;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (below + c >= rank && c > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1]!;
      const lo = i === 0 ? Math.min(0, bounds[0]!) : bounds[i - 1]!;
      return lo + (bounds[i]! - lo) * ((rank - below) / c);
    }
    below += c;
  }
  return bounds[bounds.length - 1]!;
}

/** The per-bucket counts observed between two readings of a histogram; undefined when it was reset (a count went down). */
export function countsBetween(before: readonly number[], after: readonly number[]): number[] | undefined {
  if (before.length !== after.length) return undefined;
  const out = after.map((v, i) => v - before[i]!);
  return out.some((d) => d < 0) ? undefined : out;
}

/** Per second between readings: `(v[i] - v[i-1]) / (t[i] - t[i-1])`, NaN for the first and across a reset. */
export function ratePerSecond(timestamps: readonly number[], values: readonly number[]): number[] {
  return values.map((v, i) => {
    if (i === 0) return Number.NaN;
    const dv = v - values[i - 1]!;
    const dt = (timestamps[i]! - timestamps[i - 1]!) / 1000;
    return dv < 0 || !(dt > 0) ? Number.NaN : dv / dt;
  });
}

/** How a family's values read: their axis, their format, and whether a chart shows them as a rate. */
export interface MetricUnit {
  kind: AxisKind;
  format(v: number): string;
  /** Counters and meters: charted per second. */
  rate: boolean;
  /** In words, for the detail: `seconds`, `bytes per second`. */
  name: string;
  /** Values are multiplied by this before they are charted (a histogram's seconds to ms, a ratio to %). */
  factor: number;
  /** Formats a charted value (after `factor`). */
  chartFormat(v: number): string;
}

/** The unit of a family, from its `unit` or its name's suffix (`_bytes`, `_seconds`, `_ratio`; `_total` counters as a rate). */
export function metricUnit(f: Pick<JsonFamily, 'name' | 'type' | 'unit'>): MetricUnit {
  const u = unitOf(f);
  return { ...u, chartFormat: u.chart ?? u.format };
}

function unitOf(f: Pick<JsonFamily, 'name' | 'type' | 'unit'>): Omit<MetricUnit, 'chartFormat'> & { chart?: (v: number) => string } {
  const base = f.name.replace(/_total$/, '');
  const unit = f.unit || (/_(bytes|seconds|milliseconds|ratio|percent)$/.exec(base)?.[1] ?? '');
  const rate = f.type === 'counter' || f.type === 'meter';
  const per = rate ? ' per second' : '';
  // A gauge of a moment (Prometheus' `_time_seconds`, `_timestamp_seconds`: seconds since the epoch) is a date, not a duration.
  if (f.type === 'gauge' && /_(time|timestamp)_seconds$/.test(f.name)) {
    return { kind: 'count', format: (v) => (v > 0 ? date(v * 1000) : num(v)), chart: (v) => num(v), rate: false, name: 'a time (seconds since 1970)', factor: 1 };
  }
  // `format` writes a reading (a counter's running total); `chart` what is charted (a counter's rate per second).
  switch (unit) {
    case 'bytes':
      return { kind: rate ? 'bytesPerSecond' : 'bytes', format: bytes, ...(rate ? { chart: (v: number) => `${bytes(v)}/s` } : {}), rate, name: `bytes${per}`, factor: 1 };
    case 'seconds':
      // Observed durations chart in ms; a counter of seconds per second is a share of time.
      if (rate) return { kind: 'perSecond', format: seconds, chart: (v) => `${num(v)} s/s`, rate, name: 'seconds per second', factor: 1 };
      return f.type === 'histogram' || f.type === 'timer' ? { kind: 'ms', format: seconds, chart: ms, rate, name: 'seconds (charted in ms)', factor: 1000 } : { kind: 'seconds', format: seconds, rate, name: 'seconds', factor: 1 };
    case 'milliseconds':
      return { kind: rate ? 'perSecond' : 'ms', format: ms, ...(rate ? { chart: (v: number) => `${num(v)} ms/s` } : {}), rate, name: `milliseconds${per}`, factor: 1 };
    case 'ratio':
      return { kind: 'percent', format: (v) => percent(v), chart: (v) => `${num(v)} %`, rate: false, name: 'ratio (charted in %)', factor: 100 };
    case 'percent':
      return { kind: 'percent', format: (v) => `${num(v)} %`, rate: false, name: 'percent', factor: 1 };
    default:
      return { kind: rate ? 'perSecond' : 'count', format: num, ...(rate ? { chart: (v: number) => `${num(v)}/s` } : {}), rate, name: unit ? `${unit}${per}` : rate ? 'per second' : 'count', factor: 1 };
  }
}
