/** The five metric types. `timer` is a histogram of durations in seconds. */
export type MetricType = 'counter' | 'gauge' | 'meter' | 'histogram' | 'timer';

export const METRIC_TYPES: readonly MetricType[] = ['counter', 'gauge', 'meter', 'histogram', 'timer'];

/** A label value as passed to an update; numbers and booleans are turned into strings. */
export type LabelValue = string | number | boolean;

/** A label set passed to an update: exactly the metric's declared label names. */
export type Labels = Readonly<Record<string, LabelValue>>;

/** What every family snapshot carries. Series are stored in columns: series `i` has `labelValues[j][i]` for label `labelNames[j]`. */
export interface FamilySnapshotBase {
  /** The metric's name as registered (may contain dots). */
  readonly name: string;
  readonly help: string;
  /** OpenMetrics unit (`seconds`, `bytes`, ...) or `''`. */
  readonly unit: string;
  readonly labelNames: readonly string[];
  /** One column per label name; only the first `size` entries belong to this snapshot. */
  readonly labelValues: readonly (readonly string[])[];
  /** Number of series. */
  readonly size: number;
  /** Index of the series that collects what the cardinality limit redirected, or -1. */
  readonly overflow: number;
}

export interface CounterSnapshot extends FamilySnapshotBase {
  readonly type: 'counter';
  /** Cumulative value of each series. */
  readonly values: Float64Array;
}

export interface GaugeSnapshot extends FamilySnapshotBase {
  readonly type: 'gauge';
  readonly values: Float64Array;
}

export interface MeterSnapshot extends FamilySnapshotBase {
  readonly type: 'meter';
  /** Monotonic total of each series. */
  readonly values: Float64Array;
  /** Exponentially weighted rates per second over 1, 5 and 15 minutes. */
  readonly m1: Float64Array;
  readonly m5: Float64Array;
  readonly m15: Float64Array;
}

export interface HistogramSnapshot extends FamilySnapshotBase {
  readonly type: 'histogram' | 'timer';
  /** Upper bounds, finite and increasing; the implicit last bucket is `+Inf`. */
  readonly buckets: readonly number[];
  /** Non-cumulative count of each bucket, `buckets.length + 1` per series, row after row. */
  readonly counts: Float64Array;
  readonly sums: Float64Array;
  readonly totals: Float64Array;
}

/** A plain, tagged snapshot of one metric family. */
export type FamilySnapshot = CounterSnapshot | GaugeSnapshot | MeterSnapshot | HistogramSnapshot;

/** A plain snapshot of a registry: what every output format renders. */
export interface RegistrySnapshot {
  /** Milliseconds since the epoch when the snapshot was taken. */
  readonly timestamp: number;
  readonly families: readonly FamilySnapshot[];
}

/** Statistics of one histogram or timer series over one interval. NaN where the interval saw no value. */
export interface HistogramStats {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
}

interface RecordBase {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Start of the interval, milliseconds since the epoch, a multiple of the period. */
  readonly timestamp: number;
}

/** One series' value over one closed interval, as the metronome-style `get()` returns it. */
export type IntervalRecord =
  | (RecordBase & { readonly type: 'counter'; readonly value: number })
  | (RecordBase & {
      readonly type: 'gauge';
      readonly value: number;
      readonly min?: number;
      readonly max?: number;
      readonly mean?: number;
    })
  | (RecordBase & {
      readonly type: 'meter';
      readonly value: number;
      readonly m1: number;
      readonly m5: number;
      readonly m15: number;
    })
  | (RecordBase & { readonly type: 'histogram' | 'timer'; readonly value: HistogramStats });

/** The columns one metric family contributes to one closed interval. */
export interface IntervalFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly labelNames: readonly string[];
  readonly labelValues: readonly (readonly string[])[];
  readonly size: number;
  readonly overflow: number;
  /**
   * Named value columns, each `size` long:
   * counter `value` (the interval's sum); gauge `value` (last) and, when asked, `min`, `max`, `mean`;
   * meter `value` (total), `m1`, `m5`, `m15`; histogram and timer `count`, `sum`, `min`, `max`,
   * `mean`, `p50`, `p75`, `p95`, `p99`, `p999`.
   */
  readonly columns: Readonly<Record<string, Float64Array>>;
}

/** One closed interval of the whole registry. */
export interface ClosedInterval {
  /** Increasing sequence number, starting at 1. */
  readonly seq: number;
  /** Start of the interval, ms since the epoch; a multiple of the period. */
  readonly start: number;
  /** End of the interval (exclusive), ms since the epoch. */
  readonly end: number;
  readonly families: IntervalFamily[];
}
