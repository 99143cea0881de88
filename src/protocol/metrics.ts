/** A number as JSON carries it: non-finite values as the strings Prometheus uses. */
export type JsonNumber = number | 'NaN' | '+Inf' | '-Inf';

/** One series of a family in the JSON format; the overflow series is `{ labels: { wobserver_overflow: "true" }, overflow: true }`. */
export interface JsonSeries {
  labels: Record<string, string>;
  overflow?: true;
  /** Counters, gauges and meters. */
  value?: JsonNumber;
  /** Meters: the moving rates. */
  m1?: JsonNumber;
  m5?: JsonNumber;
  m15?: JsonNumber;
  /** Histograms and timers: observations, their sum, and the count per bucket (the last is +Inf). */
  count?: JsonNumber;
  sum?: JsonNumber;
  counts?: JsonNumber[];
}

/** One metric family in the JSON format (`/metrics?format=json`, the `metrics` topic). */
export interface JsonFamily {
  name: string;
  type: 'counter' | 'gauge' | 'meter' | 'histogram' | 'timer';
  help: string;
  unit: string;
  labelNames: readonly string[];
  /** Histograms and timers: the upper bounds, without +Inf. */
  buckets?: readonly number[];
  series: JsonSeries[];
}

/** The registry in the JSON format. */
export interface JsonMetrics {
  timestamp: number;
  families: JsonFamily[];
}
