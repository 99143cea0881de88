import { MetricsError, show } from './errors.js';
import { BoundSeries, type MetricContext, type MetricOptions, Metric, grow, valueOf } from './metric.js';
import { Sketch } from './sketch.js';
import type { HistogramSnapshot, IntervalFamily, LabelValue, Labels } from './types.js';

/** prom-client's and the Prometheus clients' default buckets, in seconds. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

export interface HistogramOptions extends MetricOptions {
  /** Finite, strictly increasing upper bounds; `+Inf` is implicit. Default: `DEFAULT_BUCKETS`. */
  buckets?: readonly number[];
}

/** Percentiles the interval store reports, as column names and their q. */
export const PERCENTILES: readonly (readonly [string, number])[] = [
  ['p50', 0.5],
  ['p75', 0.75],
  ['p95', 0.95],
  ['p99', 0.99],
  ['p999', 0.999],
];

/**
 * A histogram counts observations in buckets for Prometheus (cumulative) and,
 * per interval, keeps count, sum, min, max, mean and percentiles from a
 * bounded sketch (within 1% of the true value, see `sketch.ts`).
 *
 * ```ts
 * const size = registry.histogram({ name: 'payload_bytes', help: 'Payload sizes', buckets: [100, 1000, 10000] });
 * size.observe(512);
 * ```
 */
export class Histogram extends Metric {
  readonly type: 'histogram' | 'timer' = 'histogram';
  readonly buckets: readonly number[];
  /** @internal Non-cumulative bucket counts, `stride` per slot. */
  counts = new Float64Array(0);
  /** @internal */
  sums = new Float64Array(0);
  /** @internal */
  totals = new Float64Array(0);
  /** @internal Per-interval sketches, created on a slot's first observation. */
  sketches: (Sketch | undefined)[] = [];
  readonly #stride: number;
  readonly #linear: boolean;
  readonly #bounds: Float64Array;

  constructor(options: HistogramOptions, context: MetricContext) {
    super(options, context);
    const buckets = options.buckets ?? DEFAULT_BUCKETS;
    if (!Array.isArray(buckets) || buckets.length === 0) {
      throw new MetricsError('INVALID_BUCKETS', `Buckets of ${options.name} must be a non-empty array, got ${show(buckets)}`);
    }
    for (let i = 0; i < buckets.length; i++) {
      const b = buckets[i];
      if (typeof b !== 'number' || !Number.isFinite(b) || (i > 0 && !(b > buckets[i - 1]!))) {
        throw new MetricsError(
          'INVALID_BUCKETS',
          `Buckets of ${options.name} must be finite and strictly increasing, got ${show(buckets)}`,
        );
      }
    }
    this.buckets = Object.freeze([...buckets]);
    this.#stride = buckets.length + 1;
    this.#bounds = Float64Array.from(buckets);
    this.#linear = buckets.length <= 24;
  }

  /** Records one observation (finite) in the series of `labels`; `observe(value)` without labels. */
  observe(labels: Labels | number, value?: number): void {
    const id = this.slotOf(labels);
    const v = valueOf(labels, value);
    if (typeof v !== 'number' || v - v !== 0) badObservation(this.name, v);
    this.record(id, v);
  }

  labels(...values: [Labels] | LabelValue[]): HistogramSeries {
    return this.handle(this.slotOfArgs(values), (slot, labels) => this.newSeries(slot, labels));
  }

  protected newSeries(slot: number, labels: Readonly<Record<string, string>>): HistogramSeries {
    return new HistogramSeries(this, slot, labels);
  }

  /** Current cumulative count and sum of a series. */
  get(labels?: Labels): { count: number; sum: number } {
    const id = this.find(labels);
    return id < 0 ? { count: 0, sum: 0 } : { count: this.totals[id]!, sum: this.sums[id]! };
  }

  /** @internal */
  record(id: number, v: number): void {
    const bounds = this.#bounds;
    let b: number;
    if (this.#linear) {
      b = 0;
      const n = bounds.length;
      while (b < n && v > bounds[b]!) b++;
    } else {
      let lo = 0;
      let hi = bounds.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v > bounds[mid]!) lo = mid + 1;
        else hi = mid;
      }
      b = lo;
    }
    this.counts[id * this.#stride + b]!++;
    this.sums[id]! += v;
    this.totals[id]!++;
    if (this.intervals) {
      let sk = this.sketches[id];
      if (sk === undefined) sk = this.sketches[id] = new Sketch();
      sk.add(v);
    }
  }


  snapshot(): HistogramSnapshot {
    const n = this.settle();
    return {
      type: this.type,
      ...this.snapshotBase(),
      buckets: this.buckets,
      counts: this.counts.slice(0, n * this.#stride),
      sums: this.sums.slice(0, n),
      totals: this.totals.slice(0, n),
    };
  }

  closeInterval(): IntervalFamily {
    const n = this.settle();
    const columns: Record<string, Float64Array> = {};
    for (const c of ['count', 'sum', 'min', 'max', 'mean', ...PERCENTILES.map(([k]) => k)]) columns[c] = new Float64Array(n);
    const { count, sum, min, max, mean } = columns as Record<'count' | 'sum' | 'min' | 'max' | 'mean', Float64Array>;
    for (let i = 0; i < n; i++) {
      const sk = this.sketches[i];
      if (sk === undefined || sk.count === 0) {
        min[i] = max[i] = mean[i] = NaN;
        for (const [k] of PERCENTILES) columns[k]![i] = NaN;
        continue;
      }
      count[i] = sk.count;
      sum[i] = sk.sum;
      min[i] = sk.min;
      max[i] = sk.max;
      mean[i] = sk.sum / sk.count;
      for (const [k, q] of PERCENTILES) columns[k]![i] = sk.quantile(q);
      sk.clear();
    }
    return { type: this.type, ...this.base(), columns };
  }

  protected resize(capacity: number): void {
    this.counts = grow(this.counts, capacity, this.#stride);
    this.sums = grow(this.sums, capacity);
    this.totals = grow(this.totals, capacity);
  }

  protected copyRow(from: number, to: number): void {
    const s = this.#stride;
    this.counts.copyWithin(to * s, from * s, from * s + s);
    this.sums[to] = this.sums[from]!;
    this.totals[to] = this.totals[from]!;
    this.sketches[to] = this.sketches[from];
    this.sketches[from] = undefined;
  }

  protected clearRow(id: number): void {
    const s = this.#stride;
    this.counts.fill(0, id * s, id * s + s);
    this.sums[id] = 0;
    this.totals[id] = 0;
    this.sketches[id] = undefined;
  }
}

/** One series of a histogram, bound to its slot. */
export class HistogramSeries extends BoundSeries<Histogram> {

  observe(value: number): void {
    if (typeof value !== 'number' || value - value !== 0) badObservation(this.metric.name, value);
    this.metric.record(this.slot(), value);
  }
}

export function badObservation(name: string, v: unknown): never {
  throw new MetricsError('INVALID_VALUE', `Observation of ${name} must be a finite number, got ${show(v)}`);
}
