import { BoundSeries, type MetricContext, type MetricOptions, Metric, assertFinite, grow } from './metric.js';
import { MetricsError, show } from './errors.js';
import type { GaugeSnapshot, IntervalFamily, LabelValue, Labels } from './types.js';

export interface GaugeOptions extends MetricOptions {
  /** Also keep each interval's min, max and mean of the values set (finite ones). Default: false. */
  intervalStats?: boolean;
}

/**
 * A gauge goes up and down. The interval store keeps its last value in each
 * interval, and with `intervalStats` its min, max and mean.
 *
 * ```ts
 * const inflight = registry.gauge({ name: 'jobs_in_flight', help: 'Jobs running' });
 * inflight.inc(); ... inflight.dec();
 * ```
 */
export class Gauge extends Metric {
  readonly type = 'gauge' as const;
  /** @internal */
  values = new Float64Array(0);
  readonly intervalStats: boolean;
  #min = new Float64Array(0);
  #max = new Float64Array(0);
  #sum = new Float64Array(0);
  #n = new Float64Array(0);

  constructor(options: GaugeOptions, context: MetricContext) {
    super(options, context);
    this.intervalStats = context.intervals && options.intervalStats === true;
  }

  /** Sets the value (any number, NaN and infinities included: Prometheus gauges may carry them). */
  set(labels: Labels | number, value?: number): void {
    const [id, v] = this.#args(labels, value, 'set');
    if (typeof v !== 'number') throw new MetricsError('INVALID_VALUE', `Value of ${this.name} must be a number, got ${show(v)}`);
    this.values[id] = v;
    if (this.intervalStats) this.record(id, v);
  }

  /** Adds `value` (default 1, finite). */
  inc(labels?: Labels | number, value?: number): void {
    const [id, v] = this.#args(labels, value, 'inc');
    this.add(id, v === undefined ? 1 : v);
  }

  /** Subtracts `value` (default 1, finite). */
  dec(labels?: Labels | number, value?: number): void {
    const [id, v] = this.#args(labels, value, 'dec');
    this.add(id, v === undefined ? -1 : -v);
  }

  /** Sets the value to the current time in seconds since the epoch. */
  setToCurrentTime(labels?: Labels): void {
    const now = Date.now() / 1000;
    if (labels === undefined) this.set(now);
    else this.set(labels, now);
  }

  labels(...values: [Labels] | LabelValue[]): GaugeSeries {
    return this.handle(this.slotOfArgs(values), (slot, labels) => new GaugeSeries(this, slot, labels));
  }

  /** Current value of a series (NaN when it does not exist). */
  get(labels?: Labels): number {
    const id = this.find(labels);
    return id < 0 ? NaN : this.values[id]!;
  }

  /** @internal */
  add(id: number, v: unknown): void {
    assertFinite(v, `Increment of ${this.name}`);
    const next = this.values[id]! + v;
    this.values[id] = next;
    if (this.intervalStats) this.record(id, next);
  }

  /** @internal */
  record(id: number, v: number): void {
    if (!Number.isFinite(v)) return;
    if (this.#n[id] === 0) {
      this.#min[id] = v;
      this.#max[id] = v;
    } else {
      if (v < this.#min[id]!) this.#min[id] = v;
      if (v > this.#max[id]!) this.#max[id] = v;
    }
    this.#sum[id]! += v;
    this.#n[id]!++;
  }


  snapshot(): GaugeSnapshot {
    const n = this.settle();
    return { type: 'gauge', ...this.snapshotBase(), values: this.values.slice(0, n) };
  }

  closeInterval(): IntervalFamily {
    const n = this.settle();
    const value = this.values.slice(0, n);
    if (!this.intervalStats) return { type: 'gauge', ...this.base(), columns: { value } };
    const min = new Float64Array(n);
    const max = new Float64Array(n);
    const mean = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const count = this.#n[i]!;
      if (count === 0) {
        min[i] = max[i] = mean[i] = value[i]!;
      } else {
        min[i] = this.#min[i]!;
        max[i] = this.#max[i]!;
        mean[i] = this.#sum[i]! / count;
      }
    }
    this.#n.fill(0);
    this.#sum.fill(0);
    return { type: 'gauge', ...this.base(), columns: { value, min, max, mean } };
  }

  protected resize(capacity: number): void {
    this.values = grow(this.values, capacity);
    if (this.intervalStats) {
      this.#min = grow(this.#min, capacity);
      this.#max = grow(this.#max, capacity);
      this.#sum = grow(this.#sum, capacity);
      this.#n = grow(this.#n, capacity);
    }
  }

  protected copyRow(from: number, to: number): void {
    for (const col of this.#columns()) col[to] = col[from]!;
  }

  protected clearRow(id: number): void {
    for (const col of this.#columns()) col[id] = 0;
  }

  #columns(): Float64Array[] {
    return this.intervalStats ? [this.values, this.#min, this.#max, this.#sum, this.#n] : [this.values];
  }

  #args(labels: Labels | number | undefined, value: number | undefined, op: string): [number, number | undefined] {
    if (typeof labels === 'object' && labels !== null) return [this.index.get(labels), value];
    if (value !== undefined) {
      throw new MetricsError('INVALID_VALUE', `${this.name}.${op}(value) takes one number when called without labels`);
    }
    return [this.slot(undefined), labels];
  }
}

/** One series of a gauge, bound to its slot. */
export class GaugeSeries extends BoundSeries<Gauge> {

  set(value: number): void {
    if (typeof value !== 'number') {
      throw new MetricsError('INVALID_VALUE', `Value of ${this.metric.name} must be a number, got ${show(value)}`);
    }
    const id = this.slot();
    this.metric.values[id] = value;
    if (this.metric.intervalStats) this.metric.record(id, value);
  }

  inc(value = 1): void {
    this.metric.add(this.slot(), value);
  }

  dec(value = 1): void {
    this.metric.add(this.slot(), typeof value === 'number' ? -value : value);
  }

  get(): number {
    return this.id < 0 ? NaN : this.metric.values[this.id]!;
  }

}
