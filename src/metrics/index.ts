// The metrics core: registry, metric types, interval store, predefined metrics,
// name templates and Node.js runtime metrics. It imports nothing else of wobserver.
export { Registry } from './registry.js';
export { createRegistry } from './create-registry.js';
export type { RegistryOptions } from './registry.js';
export { Counter, CounterSeries } from './counter.js';
export { Gauge, GaugeSeries } from './gauge.js';
export type { GaugeOptions } from './gauge.js';
export { Meter, MeterSeries } from './meter.js';
export { Histogram, HistogramSeries, DEFAULT_BUCKETS, PERCENTILES } from './histogram.js';
export type { HistogramOptions } from './histogram.js';
export { Timer, TimerSeries } from './timer.js';
export type { StopTimer } from './timer.js';
export type { AnyMetric, MetricOptions } from './metric.js';
export { WobserverError, OptionError, MetricsError, MetricsErrorCode } from './errors.js';
export type { OptionErrorCode } from './errors.js';
export { InvalidCollectedValue } from './collect.js';
export type { Collector, CollectError, CollectFailure } from './collect.js';
export type { PredefinedMetric } from './predefined.js';
export { expandTemplate, nameSegment } from './template.js';
export { prometheusName, counterBase, exposedNames, OVERFLOW_LABEL } from './names.js';
export { seriesLabels } from './records.js';
export { Sketch, SKETCH_RELATIVE_ACCURACY, SKETCH_MAX_BINS } from './sketch.js';
export { startRuntimeMetrics } from './runtime/index.js';
export type { RuntimeMetrics, RuntimeMetricsOptions } from './runtime/index.js';
export { METRIC_TYPES } from './types.js';
export type {
  ClosedInterval,
  CounterSnapshot,
  FamilySnapshot,
  GaugeSnapshot,
  HistogramSnapshot,
  HistogramStats,
  IntervalFamily,
  IntervalRecord,
  LabelValue,
  Labels,
  MeterSnapshot,
  MetricType,
  RegistrySnapshot,
} from './types.js';
export type { GeneratedMetric, Generator } from './generator.js';
