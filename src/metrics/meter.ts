import { MetricsError, show } from './errors.js';
import { ALPHA_1, ALPHA_15, ALPHA_5, tickRates } from './ewma.js';
import { type Bound, Metric, grow } from './metric.js';
import type { IntervalFamily, LabelValue, Labels, MeterSnapshot } from './types.js';

/**
 * A meter is a monotonic total (requests served, bytes sent, GC runs since
 * start) with its 1, 5 and 15 minute rates per second, exponentially weighted
 * and ticked every 5 s as Coda Hale's metrics define them. Prometheus sees a
 * counter; the interval store keeps the total at the end of each interval.
 *
 * ```ts
 * const served = registry.meter({ name: 'jobs_done_total', help: 'Jobs done' });
 * served.mark();        // one more
 * served.set(1234);     // or the total, read from elsewhere
 * ```
 */
export class Meter extends Metric {
  readonly type = 'meter' as const;
  /** @internal Monotonic total of each slot. */
  values = new Float64Array(0);
  #m1 = new Float64Array(0);
  #m5 = new Float64Array(0);
  #m15 = new Float64Array(0);
  #ticked = new Float64Array(0);
  #started = new Uint8Array(0);

  /** Adds `n` events (default 1, finite and >= 0). */
  mark(labels?: Labels | number, n?: number): void {
    let id: number;
    let v: number | undefined;
    if (typeof labels === 'object' && labels !== null) {
      id = this.index.get(labels);
      v = n;
    } else {
      id = this.slot(undefined);
      v = labels;
    }
    if (v === undefined) v = 1;
    else if (typeof v !== 'number' || !(v >= 0) || v === Infinity) badMark(this.name, v);
    this.values[id]! += v;
  }

  /** Sets the total, which must not go down. */
  set(labels: Labels | number, total?: number): void {
    let id: number;
    let v: unknown;
    if (typeof labels === 'object' && labels !== null) {
      id = this.index.get(labels);
      v = total;
    } else {
      id = this.slot(undefined);
      v = labels;
    }
    this.setSlot(id, v);
  }

  labels(...values: [Labels] | LabelValue[]): MeterSeries {
    const id = this.slot(values.length === 1 && typeof values[0] === 'object' ? (values[0] as Labels) : (values as LabelValue[]));
    return this.handle(id, (slot, labels) => new MeterSeries(this, slot, labels));
  }

  /** Current total and rates of a series (zeros when it does not exist). */
  get(labels?: Labels): { total: number; m1: number; m5: number; m15: number } {
    const id = this.find(labels);
    if (id < 0) return { total: 0, m1: 0, m5: 0, m15: 0 };
    return { total: this.values[id]!, m1: this.#m1[id]!, m5: this.#m5[id]!, m15: this.#m15[id]! };
  }

  /** @internal Advances the rates by `ticks` 5-second ticks. */
  tick(ticks: number): void {
    const n = this.index.size;
    if (ticks <= 0 || n === 0) return;
    const counts = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      counts[i] = this.values[i]! - this.#ticked[i]!;
      this.#ticked[i] = this.values[i]!;
    }
    tickRates(this.#m1, this.#started, counts, n, ticks, ALPHA_1);
    tickRates(this.#m5, this.#started, counts, n, ticks, ALPHA_5);
    tickRates(this.#m15, this.#started, counts, n, ticks, ALPHA_15);
    this.#started.fill(1, 0, n);
  }

  /** @internal */
  setSlot(id: number, v: unknown): void {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new MetricsError('INVALID_VALUE', `Total of ${this.name} must be a finite number, got ${show(v)}`);
    }
    if (v < this.values[id]!) {
      throw new MetricsError('COUNTER_DECREASE', `${this.name} only goes up: total ${v} is below ${this.values[id]}`);
    }
    this.values[id] = v;
  }

  /** @internal */
  reattachHandle(h: MeterSeries): number {
    return this.reattach(h);
  }

  snapshot(): MeterSnapshot {
    const n = this.settle();
    return {
      type: 'meter',
      ...this.snapshotBase(),
      values: this.values.slice(0, n),
      m1: this.#m1.slice(0, n),
      m5: this.#m5.slice(0, n),
      m15: this.#m15.slice(0, n),
    };
  }

  closeInterval(): IntervalFamily {
    const n = this.settle();
    return {
      type: 'meter',
      ...this.base(),
      columns: {
        value: this.values.slice(0, n),
        m1: this.#m1.slice(0, n),
        m5: this.#m5.slice(0, n),
        m15: this.#m15.slice(0, n),
      },
    };
  }

  protected resize(capacity: number): void {
    this.values = grow(this.values, capacity);
    this.#m1 = grow(this.#m1, capacity);
    this.#m5 = grow(this.#m5, capacity);
    this.#m15 = grow(this.#m15, capacity);
    this.#ticked = grow(this.#ticked, capacity);
    const started = new Uint8Array(capacity);
    started.set(this.#started);
    this.#started = started;
  }

  protected copyRow(from: number, to: number): void {
    for (const col of [this.values, this.#m1, this.#m5, this.#m15, this.#ticked, this.#started]) col[to] = col[from]!;
  }

  protected clearRow(id: number): void {
    for (const col of [this.values, this.#m1, this.#m5, this.#m15, this.#ticked, this.#started]) col[id] = 0;
  }
}

/** One series of a meter, bound to its slot. */
export class MeterSeries implements Bound {
  id: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly #meter: Meter;

  constructor(meter: Meter, id: number, labels: Readonly<Record<string, string>>) {
    this.#meter = meter;
    this.id = id;
    this.labels = labels;
  }

  mark(n?: number): void {
    let v = n;
    if (v === undefined) v = 1;
    else if (typeof v !== 'number' || !(v >= 0) || v === Infinity) badMark(this.#meter.name, v);
    this.#meter.values[this.#slot()]! += v;
  }

  set(total: number): void {
    this.#meter.setSlot(this.#slot(), total);
  }

  #slot(): number {
    return this.id >= 0 ? this.id : this.#meter.reattachHandle(this);
  }
}

function badMark(name: string, v: unknown): never {
  if (typeof v === 'number' && v < 0) throw new MetricsError('COUNTER_DECREASE', `${name} only goes up: cannot mark ${v}`);
  throw new MetricsError('INVALID_VALUE', `Mark of ${name} must be a finite number >= 0, got ${show(v)}`);
}
