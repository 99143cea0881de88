import { MetricsError, show } from './errors.js';

const SEGMENT = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const METRIC_NAME = new RegExp(`^${SEGMENT}(?:\\.[a-zA-Z0-9_:]+)*$`);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Label names the exposition formats reserve for themselves. */
export const RESERVED_LABEL_NAMES: ReadonlySet<string> = new Set(['le', 'quantile', 'wobserver_overflow']);

/**
 * Metric names wobserver's aggregation across nodes writes itself
 * (`/metrics?nodes=all`): whether each node answered, and why not. The
 * registry refuses them (`METRIC_CONFLICT`), so that no application metric
 * can duplicate them.
 */
export const RESERVED_METRIC_NAMES: readonly string[] = ['wobserver_node_up', 'wobserver_node_scrape_error'];

/** The label that marks the one series collecting what a cardinality limit redirected. */
export const OVERFLOW_LABEL = 'wobserver_overflow';

/**
 * Throws unless `name` is a valid metric name: a Prometheus name
 * (`[a-zA-Z_:][a-zA-Z0-9_:]*`), or dot-separated segments of one as Graphite
 * paths use (`app.http.requests`). Dots become `_` in the Prometheus exposition.
 */
export function assertMetricName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw new MetricsError(
      'INVALID_METRIC_NAME',
      `Invalid metric name: ${show(name)} (allowed: [a-zA-Z_:][a-zA-Z0-9_:]*, segments joined by ".")`,
    );
  }
}

/** Throws unless every label name is valid, unreserved and unique. */
export function assertLabelNames(names: unknown, metric: string): asserts names is readonly string[] {
  if (!Array.isArray(names)) {
    throw new MetricsError('INVALID_LABEL_NAME', `Label names of ${metric} must be an array, got ${show(names)}`);
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== 'string' || !LABEL_NAME.test(n) || n.startsWith('__')) {
      throw new MetricsError(
        'INVALID_LABEL_NAME',
        `Invalid label name ${show(n)} on ${metric} (allowed: [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__")`,
      );
    }
    if (RESERVED_LABEL_NAMES.has(n)) {
      throw new MetricsError('RESERVED_LABEL_NAME', `Label name "${n}" on ${metric} is reserved`);
    }
    if (seen.has(n)) {
      throw new MetricsError('DUPLICATE_LABEL_NAME', `Label name "${n}" is declared twice on ${metric}`);
    }
    seen.add(n);
  }
}

/** The Prometheus name of a metric: dots become underscores. Pure; formats use it too. */
export function prometheusName(name: string): string {
  return name.includes('.') ? name.replaceAll('.', '_') : name;
}

/** Base of a counter's or meter's Prometheus name: without its `_total` suffix. */
export function counterBase(promName: string): string {
  return promName.endsWith('_total') ? promName.slice(0, -6) : promName;
}

/**
 * Every name a metric occupies in the Prometheus and OpenMetrics expositions
 * (family names and sample names). Two metrics whose sets meet would corrupt
 * the exposition, so the registry refuses the second.
 */
export function exposedNames(name: string, type: string): string[] {
  const p = prometheusName(name);
  if (type === 'counter' || type === 'meter') {
    const base = counterBase(p);
    return [base, `${base}_total`, `${base}_created`];
  }
  if (type === 'histogram' || type === 'timer') return [p, `${p}_bucket`, `${p}_sum`, `${p}_count`, `${p}_created`];
  return [p];
}

/** Every name the reserved metric names would expose, of any type: the registry refuses a metric that exposes one. */
export const RESERVED_EXPOSED_NAMES: ReadonlySet<string> = new Set(
  RESERVED_METRIC_NAMES.flatMap((n) => [...exposedNames(n, 'gauge'), ...exposedNames(n, 'counter'), ...exposedNames(n, 'histogram')]),
);
