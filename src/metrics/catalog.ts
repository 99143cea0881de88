import type { Histogram } from './histogram.js';
import { MetricsError } from './errors.js';
import type { AnyMetric, MetricContext, MetricOptions } from './metric.js';
import { RESERVED_EXPOSED_NAMES, exposedNames } from './names.js';
import type { MetricType } from './types.js';

/** Builds a metric of one type from its options. */
export type MetricFactory<M> = (options: never, context: MetricContext) => M;

/**
 * The registry's metrics by name, and the names each exposes (`_bucket`,
 * `_count`, …): registering a name twice gives the first metric back when it
 * matches (type, label names, buckets; help and unit are the first
 * registration's), and a conflict otherwise, before anything is stored.
 */
export class Catalog {
  readonly #metrics = new Map<string, AnyMetric>();
  /** Exposed name → the metric name that exposes it. */
  readonly #exposed = new Map<string, string>();

  get(name: string): AnyMetric | undefined {
    return this.#metrics.get(name);
  }

  /** Every metric, in registration order. */
  values(): IterableIterator<AnyMetric> {
    return this.#metrics.values();
  }

  /** The metric named `options.name` (already expanded): the existing one if it matches, else a new one. */
  register<M extends AnyMetric>(options: MetricOptions, type: MetricType, make: MetricFactory<M>, context: MetricContext): M {
    const name = options.name;
    const existing = this.#metrics.get(name);
    if (existing !== undefined) return reuse(existing, options, type) as M;
    const metric = (make as (o: MetricOptions, c: MetricContext) => M)(options, context);
    const names = exposedNames(metric.name, type);
    for (const n of names) {
      if (RESERVED_EXPOSED_NAMES.has(n)) {
        throw new MetricsError('METRIC_CONFLICT', `${name} (${type}) would expose "${n}", which wobserver's aggregation across nodes reserves for itself`);
      }
      const holder = this.#exposed.get(n);
      if (holder !== undefined) {
        throw new MetricsError('METRIC_CONFLICT', `${name} (${type}) would expose "${n}", which ${holder} already does`);
      }
    }
    for (const n of names) this.#exposed.set(n, name);
    this.#metrics.set(name, metric);
    return metric;
  }

  /** Forgets `m` and the names it exposed. */
  remove(m: AnyMetric): void {
    this.#metrics.delete(m.name);
    for (const n of exposedNames(m.name, m.type)) this.#exposed.delete(n);
  }
}

function reuse(existing: AnyMetric, options: MetricOptions & { buckets?: readonly number[] }, type: MetricType): AnyMetric {
  const labels = options.labelNames ?? [];
  const sameLabels = labels.length === existing.labelNames.length && labels.every((l, i) => l === existing.labelNames[i]);
  const buckets = (existing as Partial<Histogram>).buckets;
  const sameBuckets =
    options.buckets === undefined || buckets === undefined ||
    (options.buckets.length === buckets.length && options.buckets.every((b, i) => b === buckets[i]));
  if (existing.type !== type || !sameLabels || !sameBuckets) {
    throw new MetricsError(
      'METRIC_CONFLICT',
      `${existing.name} is already a ${existing.type}{${existing.labelNames.join(', ')}}; cannot register it as ${type}{${labels.join(', ')}}${sameBuckets ? '' : ' with other buckets'}`,
    );
  }
  return existing;
}
