// The metronome-style API (metrics named at their first update, records read
// and deleted per name and type), kept apart from the registry's own API.
import type { Counter } from './counter.js';
import { MetricsError, show } from './errors.js';
import type { Gauge } from './gauge.js';
import type { Histogram } from './histogram.js';
import type { Meter } from './meter.js';
import type { AnyMetric } from './metric.js';
import type { IntervalRecordFilter } from './records.js';
import { type ClosedInterval, type IntervalFamily, METRIC_TYPES, type MetricType } from './types.js';

/** Registers (or finds) the metric `name` of `type`, as `registry.counter({ name })` and the like do. */
export type MetricMaker = (name: string, type: MetricType) => AnyMetric;

/** Updates by raw name, remembering which metric each raw name (before template expansion) became. */
export class Metronome {
  readonly #byRawName = new Map<string, AnyMetric>();
  readonly #make: MetricMaker;

  constructor(make: MetricMaker) {
    this.#make = make;
  }

  /** Counter adds, gauge sets, meter marks, histogram and timer observe; the metric is created on first use. */
  update(name: string, value: number, type: MetricType): void {
    let m = this.#byRawName.get(name);
    if (m === undefined || m.type !== type) {
      m = this.#make(name, type);
      this.#byRawName.set(name, m);
    }
    switch (type) {
      case 'counter':
        (m as Counter).inc(value);
        return;
      case 'gauge':
        (m as Gauge).set(value);
        return;
      case 'meter':
        (m as Meter).mark(value);
        return;
      default:
        (m as Histogram).observe(value);
    }
  }

  /** Forgets the raw names that led to `m` (it was unregistered). */
  forget(m: AnyMetric): void {
    for (const [raw, metric] of this.#byRawName) if (metric === m) this.#byRawName.delete(raw);
  }
}

/** Refuses a type that does not exist, naming it. */
export function unknownType(type: unknown): MetricsError {
  return new MetricsError('UNKNOWN_TYPE', `Unknown metric type ${show(type)}; use ${METRIC_TYPES.join(', ')}`);
}

/** `(name, type)` or `(type)` as a filter of records; `expand` expands the name's template. */
export function recordFilter(nameOrType: string, type: MetricType | undefined, expand: (name: string) => string): IntervalRecordFilter {
  if (type === undefined) {
    if (!METRIC_TYPES.includes(nameOrType as MetricType)) throw unknownType(nameOrType);
    return { type: nameOrType as MetricType };
  }
  if (!METRIC_TYPES.includes(type)) throw unknownType(type);
  return { name: expand(nameOrType), type };
}

/** Removes the families `f` selects from every closed interval; returns how many records went. */
export function deleteRecords(closed: readonly ClosedInterval[], f: IntervalRecordFilter): number {
  let removed = 0;
  for (const c of closed) {
    const keep: IntervalFamily[] = [];
    for (const fam of c.families) {
      if (fam.type === f.type && (f.name === undefined || fam.name === f.name)) removed += fam.size;
      else keep.push(fam);
    }
    c.families.splice(0, c.families.length, ...keep);
  }
  return removed;
}
