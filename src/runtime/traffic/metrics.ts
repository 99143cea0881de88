import type { AnyMetric, CounterSeries, HistogramSeries, Registry } from '../../metrics/index.js';
import { DEFAULT_BUCKETS, MetricsError } from '../../metrics/index.js';

// Names and labels, chosen for the dashboards users already have:
//
// - Inbound is express-prom-bundle's metric (checked against its source,
//   src/index.js of v8): `http_request_duration_seconds`, a histogram with the
//   labels `status_code`, `method`, `path` (its order), its default buckets
//   [0.003, 0.03, 0.1, 0.3, 1.5, 10] and its help text. A Grafana panel built
//   on it (`sum by (path) (rate(http_request_duration_seconds_count[5m]))`,
//   `histogram_quantile(0.95, sum by (le) (rate(…_bucket[5m])))`) keeps
//   working. Two differences: `path` is the route template (`/users/:id`)
//   where express-prom-bundle writes the normalized URL (`/users/#val`), and
//   its auxiliary `up` gauge is not registered (Prometheus writes `up` itself).
//   express-prom-bundle labels a response the client left before it finished
//   `499`; no channel tells of those, so they are not counted at all.
// - Outbound follows the same pattern with `client` where OpenTelemetry's
//   semantic conventions put it (`http.client.request.duration`):
//   `http_client_request_duration_seconds{status_code, method, host}` (to the
//   response's headers, prom-client's default buckets) and
//   `http_client_request_errors_total{code, method, host}` for requests that
//   failed without a response, by error code (`ECONNREFUSED`, `ETIMEDOUT`, …).

/** Name of the inbound histogram: express-prom-bundle's. */
export const INBOUND_METRIC = 'http_request_duration_seconds';
/** Name of the outbound histogram. */
export const OUTBOUND_METRIC = 'http_client_request_duration_seconds';
/** Name of the outbound failures counter. */
export const OUTBOUND_ERRORS_METRIC = 'http_client_request_errors_total';

/** express-prom-bundle's default buckets of `http_request_duration_seconds`, in seconds. */
export const INBOUND_BUCKETS: readonly number[] = Object.freeze([0.003, 0.03, 0.1, 0.3, 1.5, 10]);
/** Buckets of `http_client_request_duration_seconds`: prom-client's defaults, in seconds. */
export const OUTBOUND_BUCKETS: readonly number[] = DEFAULT_BUCKETS;

/** The traffic metrics of one registry, as bound series: a caller keeps each handle it gets, so that an update costs no lookup. */
export interface TrafficMetrics {
  /** The inbound series of a status code, method and route. */
  inbound(statusCode: string, method: string, path: string): HistogramSeries;
  /** The outbound series of a status code, method and host. */
  outbound(statusCode: string, method: string, host: string): HistogramSeries;
  /** The failures counter of an error code, method and host. */
  outboundError(code: string, method: string, host: string): CounterSeries;
  /** Unregisters the three metrics. */
  remove(): void;
}

/**
 * Registers `http_request_duration_seconds`, `http_client_request_duration_seconds`
 * and `http_client_request_errors_total` on `registry`, so that they go to
 * `/metrics` and to the interval reporters like any other metric. Throws
 * `METRIC_CONFLICT` (having registered nothing) when the registry has a metric
 * of one of these names already, whatever its labels: it is someone else's
 * (the application's own middleware, say), and sharing it would count each
 * request twice.
 *
 * ```ts
 * const metrics = registerTrafficMetrics(registry);
 * metrics.inbound('200', 'GET', '/users/:id').observe(0.012);
 * metrics.remove();
 * ```
 */
export function registerTrafficMetrics(registry: Registry): TrafficMetrics {
  for (const name of [INBOUND_METRIC, OUTBOUND_METRIC, OUTBOUND_ERRORS_METRIC]) {
    if (registry.metric(name) !== undefined) {
      throw new MetricsError('METRIC_CONFLICT', `${name} is already registered; the traffic metrics leave it alone`);
    }
  }
  const added: AnyMetric[] = [];
  try {
    const inbound = registry.histogram({
      name: INBOUND_METRIC,
      help: 'duration histogram of http responses labeled with: status_code, method, path',
      labelNames: ['status_code', 'method', 'path'],
      buckets: INBOUND_BUCKETS,
      unit: 'seconds',
    });
    added.push(inbound);
    const outbound = registry.histogram({
      name: OUTBOUND_METRIC,
      help: 'Duration of the HTTP requests this process made, to the response headers, labeled with: status_code, method, host',
      labelNames: ['status_code', 'method', 'host'],
      buckets: OUTBOUND_BUCKETS,
      unit: 'seconds',
    });
    added.push(outbound);
    const errors = registry.counter({
      name: OUTBOUND_ERRORS_METRIC,
      help: 'HTTP requests this process made that failed without a response, labeled with: code, method, host',
      labelNames: ['code', 'method', 'host'],
    });
    added.push(errors);
    return {
      inbound: (statusCode, method, path) => inbound.labels(statusCode, method, path),
      outbound: (statusCode, method, host) => outbound.labels(statusCode, method, host),
      outboundError: (code, method, host) => errors.labels(code, method, host),
      remove() {
        for (const m of added) if (registry.metric(m.name) === m) registry.unregister(m.name);
      },
    };
  } catch (err) {
    for (const m of added) registry.unregister(m.name);
    throw err;
  }
}
