// Push reporters: deliver the registry's closed intervals to Graphite (TCP) or StatsD (UDP).
export type { PushReporter, ReporterHealth } from './reporter.js';
export { GraphiteReporter, type GraphiteHealth, type GraphiteOptions } from './graphite/reporter.js';
export { encodeSegment, decodeSegment, type LabelStyle } from './graphite/path.js';
export { StatsdReporter, type StatsdOptions } from './statsd/reporter.js';
export type { StatsdTags } from './statsd/lines.js';
export { ReporterConfigError } from './reporter.js';
