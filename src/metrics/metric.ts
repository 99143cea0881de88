import { MetricsError, OptionError, show } from './errors.js';
import { assertLabelNames, assertMetricName } from './names.js';
import { SeriesIndex, type SeriesStore } from './series-index.js';
import type { FamilySnapshot, IntervalFamily, LabelValue, Labels, MetricType } from './types.js';

/** Options every metric takes. */
export interface MetricOptions {
  /** Metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`, or dot-separated segments of it (`app.http.requests`). */
  name: string;
  /** One line of help text. Default: the name. */
  help?: string;
  /** OpenMetrics unit (`seconds`, `bytes`, ...); the name must then end with `_<unit>`. Default: none. */
  unit?: string;
  /** Declared label names, in order. Default: none. */
  labelNames?: readonly string[];
  /** Series kept before new label sets go to one overflow series. Default: the registry's `maxSeries` (10,000). */
  maxSeries?: number;
}

/** What a metric needs from the registry that owns it. */
export interface MetricContext {
  /** Whether per-interval accumulation is on. */
  readonly intervals: boolean;
  /** Default cardinality limit. */
  readonly maxSeries: number;
  /** Called once for each label set the cardinality limit redirected. */
  readonly onOverflow: (metric: string) => void;
}

/** A live metric of any type: what the registry and formats see. */
export interface AnyMetric {
  readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly unit: string;
  readonly labelNames: readonly string[];
  /** Number of series. */
  readonly size: number;
  /** How many new label sets the cardinality limit redirected to the overflow series. */
  readonly overflowed: number;
  /** A plain copy of the cumulative state. */
  snapshot(): FamilySnapshot;
  /** Closes the current interval: returns its columns and starts a new one. */
  closeInterval(): IntervalFamily;
  /** Removes one series; returns whether it existed. */
  remove(labels: Labels): boolean;
  /** Removes every series. */
  reset(): void;
}

/** Something that hands out bound series handles, which keep their slot across removals. */
export interface Bound {
  /** Slot of the series, or -1 once it was removed (the next update re-creates it). */
  id: number;
  readonly labels: Readonly<Record<string, string>>;
}

/** Base of the bound series handles: a slot, its labels, and the metric that owns them. */
export abstract class BoundSeries<M extends Metric> implements Bound {
  id: number;
  readonly labels: Readonly<Record<string, string>>;
  protected readonly metric: M;

  constructor(metric: M, id: number, labels: Readonly<Record<string, string>>) {
    this.metric = metric;
    this.id = id;
    this.labels = labels;
  }

  /** The slot to update: this series', re-created if it was removed. */
  protected slot(): number {
    return this.id >= 0 ? this.id : this.metric.reattachHandle(this);
  }
}

/**
 * Base of every metric type: name and label validation, the series index,
 * growable value columns and bound handles. Subclasses own their columns.
 */
export abstract class Metric implements AnyMetric, SeriesStore {
  abstract readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly unit: string;
  readonly labelNames: readonly string[];
  readonly maxSeries: number;
  protected readonly index: SeriesIndex;
  protected readonly intervals: boolean;
  /** Allocated rows of every column. */
  protected capacity = 0;
  #handles: (Bound | undefined)[] = [];

  constructor(options: MetricOptions, context: MetricContext) {
    if (options === null || typeof options !== 'object') {
      throw new OptionError(`Metric options must be an object, got ${show(options)}`);
    }
    assertMetricName(options.name);
    const labelNames = options.labelNames ?? [];
    assertLabelNames(labelNames, options.name);
    const help = options.help ?? options.name;
    if (typeof help !== 'string') {
      throw new OptionError(`help of ${options.name} must be a string, got ${show(help)}`);
    }
    const unit = options.unit ?? '';
    if (typeof unit !== 'string' || (unit !== '' && !/^[a-zA-Z0-9_]+$/.test(unit))) {
      throw new OptionError(`unit of ${options.name} must match [a-zA-Z0-9_]+, got ${show(unit)}`);
    }
    const base = options.name.endsWith('_total') ? options.name.slice(0, -6) : options.name;
    if (unit !== '' && !base.endsWith(`_${unit}`)) {
      throw new OptionError(`${options.name} has unit "${unit}", so its name must end with _${unit}`);
    }
    const maxSeries = options.maxSeries ?? context.maxSeries;
    if (!Number.isInteger(maxSeries) || maxSeries < 1) {
      throw new OptionError(`maxSeries of ${options.name} must be a positive integer, got ${show(maxSeries)}`);
    }
    this.name = options.name;
    this.help = help;
    this.unit = unit;
    this.labelNames = Object.freeze([...labelNames]);
    this.maxSeries = maxSeries;
    this.intervals = context.intervals;
    this.index = new SeriesIndex(this.name, this.labelNames, maxSeries, this, () => context.onOverflow(this.name));
  }

  get size(): number {
    return this.index.size;
  }

  get overflowed(): number {
    return this.index.redirected;
  }

  /** Label set of every series, in slot order. */
  series(): Record<string, string>[] {
    const out = [];
    for (let i = 0; i < this.index.size; i++) out.push(this.index.labelsOf(i));
    return out;
  }

  remove(labels: Labels): boolean {
    return this.index.remove(labels);
  }

  reset(): void {
    this.index.clear();
  }

  abstract snapshot(): FamilySnapshot;
  abstract closeInterval(): IntervalFamily;

  /** Grows every column to hold `capacity` rows. */
  protected abstract resize(capacity: number): void;
  /** Copies row `from` into row `to`. */
  protected abstract copyRow(from: number, to: number): void;
  /** Zeroes row `id`. */
  protected abstract clearRow(id: number): void;

  ensure(id: number): void {
    if (id < this.capacity) return;
    const capacity = Math.max(8, this.capacity * 2, id + 1);
    this.resize(capacity);
    this.capacity = capacity;
  }

  move(from: number, to: number): void {
    this.copyRow(from, to);
    const h = this.#handles[from];
    this.#handles[to] = h;
    this.#handles[from] = undefined;
    if (h !== undefined) h.id = to;
  }

  drop(id: number): void {
    this.clearRow(id);
    const h = this.#handles[id];
    if (h !== undefined) {
      h.id = -1;
      this.#handles[id] = undefined;
    }
  }

  /** Slot of a label set given by name or by position; `undefined` means no labels. */
  protected slot(labels: Labels | readonly LabelValue[] | undefined): number {
    if (labels === undefined) return this.index.get(EMPTY);
    return Array.isArray(labels) ? this.index.getValues(labels) : this.index.get(labels as Labels);
  }

  /** Slot of an update called as `(labels, value)`, or as `(value)` on the unlabelled series. */
  protected slotOf(labels: unknown): number {
    return this.index.get(typeof labels === 'object' && labels !== null ? (labels as Labels) : EMPTY);
  }

  /** Slot named by the arguments of `labels(...)`: one label object, or the values in declaration order. */
  protected slotOfArgs(values: [Labels] | LabelValue[]): number {
    return this.slot(values.length === 1 && typeof values[0] === 'object' ? (values[0] as Labels) : (values as LabelValue[]));
  }

  /** Slot of an existing series (`undefined`: the unlabelled one), or -1; never creates one. */
  protected find(labels: Labels | undefined): number {
    if (labels === undefined) return this.labelNames.length === 0 && this.index.size > 0 ? 0 : -1;
    return this.index.find(labels);
  }

  /** The bound handle of a slot, created once and kept in step with removals. */
  protected handle<H extends Bound>(id: number, make: (id: number, labels: Readonly<Record<string, string>>) => H): H {
    const existing = this.#handles[id];
    if (existing !== undefined) return existing as H;
    const h = make(id, Object.freeze(this.index.labelsOf(id)));
    if (id !== this.index.overflow) this.#handles[id] = h;
    return h;
  }

  /** @internal Slot of a handle whose series was removed: re-creates the series from its labels. */
  reattachHandle(h: Bound): number {
    const id = this.index.get(h.labels);
    if (id !== this.index.overflow) {
      this.#handles[id] = h;
      h.id = id;
    }
    return id;
  }

  /** Number of series, after giving an unlabelled metric its one series (at zero) before its first update. */
  protected settle(): number {
    if (this.index.size === 0 && this.labelNames.length === 0) this.index.get(EMPTY);
    return this.index.size;
  }

  protected base(): Omit<IntervalFamily, 'columns' | 'type'> {
    return {
      name: this.name,
      labelNames: this.labelNames,
      labelValues: this.index.columns,
      size: this.index.size,
      overflow: this.index.overflow,
    };
  }

  protected snapshotBase(): {
    name: string;
    help: string;
    unit: string;
    labelNames: readonly string[];
    labelValues: readonly (readonly string[])[];
    size: number;
    overflow: number;
  } {
    return { ...this.base(), help: this.help, unit: this.unit };
  }
}

const EMPTY: Labels = Object.freeze({});

/** The value of an update called as `(labels, value)` or as `(value)`. */
export function valueOf(labels: unknown, value: unknown): unknown {
  return typeof labels === 'object' && labels !== null ? value : labels;
}

/** Copies `src` into a new array of `capacity * stride` elements. */
export function grow(src: Float64Array, capacity: number, stride = 1): Float64Array<ArrayBuffer> {
  const out = new Float64Array(capacity * stride);
  out.set(src.subarray(0, Math.min(src.length, out.length)));
  return out;
}

/** Throws `INVALID_VALUE` unless `v` is a finite number. */
export function assertFinite(v: unknown, what: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new MetricsError('INVALID_VALUE', `${what} must be a finite number, got ${show(v)}`);
  }
}
