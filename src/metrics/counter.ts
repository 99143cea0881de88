import { MetricsError, show } from './errors.js';
import { BoundSeries, Metric, grow, valueOf } from './metric.js';
import type { CounterSnapshot, IntervalFamily, LabelValue, Labels } from './types.js';

/**
 * A counter only goes up. Prometheus reads its cumulative value; the interval
 * store reads what it gained in each interval (the sum of the increments).
 *
 * ```ts
 * const requests = registry.counter({ name: 'http_requests_total', help: 'Requests served', labelNames: ['method'] });
 * requests.inc({ method: 'GET' });
 * const get = requests.labels({ method: 'GET' }); // keep it: no lookup when used again
 * get.inc(2);
 * ```
 */
export class Counter extends Metric {
  readonly type = 'counter' as const;
  /** @internal Cumulative value of each slot. */
  values = new Float64Array(0);
  #closed = new Float64Array(0);

  /** Adds `value` (default 1, finite and >= 0) to the series of `labels`; `inc(value)` when the counter has no labels. */
  inc(labels?: Labels | number, value?: number): void {
    const id = this.slotOf(labels);
    let v = valueOf(labels, value) as number | undefined;
    if (v === undefined) v = 1;
    else if (typeof v !== 'number' || !(v >= 0) || v === Infinity) badIncrement(this.name, v);
    this.values[id]! += v;
  }

  /** The series of a label set (by name, or values in declaration order), bound: using it again costs no lookup. */
  labels(...values: [Labels] | LabelValue[]): CounterSeries {
    return this.handle(this.slotOfArgs(values), (slot, labels) => new CounterSeries(this, slot, labels));
  }

  /** Current cumulative value of a series (0 when it does not exist). */
  get(labels?: Labels): number {
    const id = this.find(labels);
    return id < 0 ? 0 : this.values[id]!;
  }

  snapshot(): CounterSnapshot {
    const n = this.settle();
    return { type: 'counter', ...this.snapshotBase(), values: this.values.slice(0, n) };
  }

  closeInterval(): IntervalFamily {
    const n = this.settle();
    const value = new Float64Array(n);
    const values = this.values;
    const closed = this.#closed;
    for (let i = 0; i < n; i++) {
      value[i] = values[i]! - closed[i]!;
      closed[i] = values[i]!;
    }
    return { type: 'counter', ...this.base(), columns: { value } };
  }


  protected resize(capacity: number): void {
    this.values = grow(this.values, capacity);
    if (this.intervals) this.#closed = grow(this.#closed, capacity);
  }

  protected copyRow(from: number, to: number): void {
    this.values[to] = this.values[from]!;
    if (this.intervals) this.#closed[to] = this.#closed[from]!;
  }

  protected clearRow(id: number): void {
    this.values[id] = 0;
    if (this.intervals) this.#closed[id] = 0;
  }
}

/** One series of a counter, bound to its slot. */
export class CounterSeries extends BoundSeries<Counter> {

  /** Adds `value` (default 1, finite and >= 0). */
  inc(value?: number): void {
    let v = value;
    if (v === undefined) v = 1;
    else if (typeof v !== 'number' || !(v >= 0) || v === Infinity) badIncrement(this.metric.name, v);
    this.metric.values[this.slot()]! += v;
  }

  /** Current cumulative value. */
  get(): number {
    return this.id < 0 ? 0 : this.metric.values[this.id]!;
  }
}

export function badIncrement(name: string, v: unknown): never {
  if (typeof v === 'number' && v < 0) {
    throw new MetricsError('COUNTER_DECREASE', `${name} only goes up: cannot add ${v}`);
  }
  throw new MetricsError('INVALID_VALUE', `Increment of ${name} must be a finite number >= 0, got ${show(v)}`);
}
