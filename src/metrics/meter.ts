import { MetricsError, show } from './errors.js';
import { ALPHA_1, ALPHA_15, ALPHA_5, tickRates } from './ewma.js';
import { BoundSeries, Metric, grow, valueOf } from './metric.js';
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
    const id = this.slotOf(labels);
    let v = valueOf(labels, n) as number | undefined;
    if (v === undefined) v = 1;
    else if (typeof v !== 'number' || !(v >= 0) || v === Infinity) badMark(this.name, v);
    this.values[id]! += v;
  }

  /** Sets the total, which must not go down. */
  set(labels: Labels | number, total?: number): void {
    this.setSlot(this.slotOf(labels), valueOf(labels, total));
  }

  labels(...values: [Labels] | LabelValue[]): MeterSeries {
    return this.handle(this.slotOfArgs(values), (slot, labels) => new MeterSeries(this, slot, labels));
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
export class MeterSeries extends BoundSeries<Meter> {

  mark(n?: number): void {
    let v = n;
    if (v === undefined) v = 1;
    else if (typeof v !== 'number' || !(v >= 0) || v === Infinity) badMark(this.metric.name, v);
    this.metric.values[this.slot()]! += v;
  }

  set(total: number): void {
    this.metric.setSlot(this.slot(), total);
  }

}

function badMark(name: string, v: unknown): never {
  if (typeof v === 'number' && v < 0) throw new MetricsError('COUNTER_DECREASE', `${name} only goes up: cannot mark ${v}`);
  throw new MetricsError('INVALID_VALUE', `Mark of ${name} must be a finite number >= 0, got ${show(v)}`);
}
