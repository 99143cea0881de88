import type { RegistrySnapshot } from '../metrics/index.js';
import { jsonChunks, JSON_CONTENT_TYPE } from './json/index.js';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE, negotiateFormat, openMetricsChunks, textChunks } from './prometheus/index.js';

/**
 * A metrics output format: what `/metrics?format=<name>` renders. The built-in
 * ones are registered below like a user's (`formats`, `addFormat`).
 */
export interface MetricsFormat {
  readonly contentType: string;
  /** Pieces of the output, in order; a pure function of the snapshot. */
  render(snapshot: RegistrySnapshot): Iterable<string>;
  /** A format with variants picks one by the request's `Accept` header (Prometheus: text or OpenMetrics). */
  choose?(accept: string | undefined): MetricsFormat;
}

const openMetrics: MetricsFormat = { contentType: OPENMETRICS_CONTENT_TYPE, render: openMetricsChunks };

/** Prometheus text (0.0.4), or OpenMetrics when the scraper asks for it. */
export const prometheusFormat: MetricsFormat = {
  contentType: TEXT_CONTENT_TYPE,
  render: textChunks,
  choose: (accept) => (negotiateFormat(accept) === 'openmetrics' ? openMetrics : prometheusFormat),
};

/** `{ timestamp, families }`, the shape of `JsonMetrics` in the contract. */
export const jsonFormat: MetricsFormat = { contentType: JSON_CONTENT_TYPE, render: jsonChunks };

/** The built-in formats; the first answers `/metrics` without `?format`. */
export const BUILT_IN_FORMATS = { prometheus: prometheusFormat, json: jsonFormat } as const satisfies Record<string, MetricsFormat>;

export const DEFAULT_FORMAT = 'prometheus';

/** The names a user's format may not take: the default is the Prometheus format, whatever is registered. */
export const RESERVED_FORMATS: readonly string[] = [DEFAULT_FORMAT];
