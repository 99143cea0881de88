import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_FORMAT, type MetricsFormat } from '../exporters/format.js';
import { sendMetrics } from '../exporters/prometheus/handler.js';
import type { RegistrySnapshot } from '../metrics/index.js';
import { HttpError } from './http-error.js';

export type { MetricsFormat } from '../exporters/format.js';

/**
 * Serves `/metrics`: the Prometheus format (text or OpenMetrics by the
 * `Accept` header) by default, or any registered format by `?format=<name>`; answered as
 * createMetricsHandler answers (`sendMetrics`: gzip by the Accept-Encoding
 * q-values, `Vary`, slices of at most `sliceMs`).
 */
export async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  collect: () => Promise<RegistrySnapshot>,
  formats: Readonly<Record<string, MetricsFormat>>,
  sliceMs = 3,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const name = url.searchParams.get('format') ?? DEFAULT_FORMAT;
  const registered = Object.hasOwn(formats, name) ? formats[name] : undefined;
  if (registered === undefined) throw new HttpError(400, 'UNKNOWN_FORMAT', `No metrics format "${name}"; available: ${Object.keys(formats).join(', ')}`);
  const f = registered.choose?.(req.headers.accept) ?? registered;
  const snapshot = await collect();
  await sendMetrics(req, res, f.contentType, f.render(snapshot), sliceMs);
}
