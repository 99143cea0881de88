// The runtime metrics' public types, apart from the code that starts them, so
// that the registry can name them without importing the runtime metrics
// (which import the registry).
import type { AnyMetric } from '../metric.js';

/** Options of the Node.js runtime metrics. */
export interface RuntimeMetricsOptions {
  /** Prefix of every runtime metric name. Default: none (prom-client's names). */
  prefix?: string;
  /**
   * How often `monitorEventLoopDelay` measures, in ms (integer >= 1). Each
   * measurement wakes the event loop: 10 ms (prom-client's choice) cost 0.8 %
   * of a core in an idle process here, 50 ms 0.2 %. Default: 50.
   */
  eventLoopDelayResolution?: number;
  /**
   * Window in ms over which event-loop delay percentiles and utilization are
   * computed (integer >= 100); the last complete window is reported, so every
   * reader sees the same values. Default: 10000.
   */
  window?: number;
  /** Buckets of `nodejs_gc_duration_seconds`. Default: prom-client's [0.001, 0.01, 0.1, 1, 2, 5]. */
  gcDurationBuckets?: readonly number[];
}

/** The running runtime metrics of one registry. */
export interface RuntimeMetrics {
  /** Every metric they registered. */
  readonly metrics: readonly AnyMetric[];
  /** Removes every timer, observer and collector they started. Idempotent. */
  stop(): void;
}
