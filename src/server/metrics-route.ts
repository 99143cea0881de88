import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  OPENMETRICS_CONTENT_TYPE,
  TEXT_CONTENT_TYPE,
  negotiateFormat,
  openMetricsChunks,
  textChunks,
} from '../exporters/prometheus/index.js';
import { sendMetrics } from '../exporters/prometheus/handler.js';
import type { RegistrySnapshot } from '../metrics/index.js';
import { HttpError } from './http-error.js';

/** A metrics output format: what `/metrics?format=<name>` renders. */
export interface MetricsFormat {
  contentType: string;
  /** Pieces of the output, in order; a pure function of the snapshot. */
  render(snapshot: RegistrySnapshot): Iterable<string>;
}

/**
 * Serves `/metrics`: Prometheus text or OpenMetrics by the `Accept` header
 * (the default), or a registered format by `?format=<name>`; answered as
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
  const name = url.searchParams.get('format');
  let contentType: string;
  let render: (s: RegistrySnapshot) => Iterable<string>;
  if (name === null || name === 'prometheus') {
    const om = negotiateFormat(req.headers.accept) === 'openmetrics';
    contentType = om ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
    render = om ? openMetricsChunks : textChunks;
  } else {
    const f = Object.hasOwn(formats, name) ? formats[name] : undefined;
    if (f === undefined) {
      throw new HttpError(400, 'UNKNOWN_FORMAT', `No metrics format "${name}"; available: prometheus${Object.keys(formats).map((k) => `, ${k}`).join('')}`);
    }
    contentType = f.contentType;
    render = (s) => f.render(s);
  }
  const snapshot = await collect();
  await sendMetrics(req, res, contentType, render(snapshot), sliceMs);
}
