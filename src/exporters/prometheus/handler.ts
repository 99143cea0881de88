import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Writable, pipeline } from 'node:stream';
import { yieldIfDue } from '../../metrics/yield.js';
import { createGzip } from 'node:zlib';
import type { Registry } from '../../metrics/index.js';
import { negotiateEncoding } from '../encoding.js';
import { negotiateFormat } from './negotiate.js';
import { OPENMETRICS_CONTENT_TYPE, openMetricsChunks } from './openmetrics.js';
import { TEXT_CONTENT_TYPE, textChunks } from './text.js';

export interface MetricsHandlerOptions {
  /** Longest the handler renders before it yields to the event loop, in ms. Default: 3. */
  sliceMs?: number;
}

/**
 * A node:http handler that serves a registry's metrics: it runs the
 * collectors, takes one snapshot, and streams the format the scrape's
 * `Accept` header asks for, gzipped when its `Accept-Encoding` prefers gzip
 * (q-values honoured, see `negotiateEncoding`), yielding to the event loop
 * between chunks so a large registry never blocks the host for long. GET and
 * HEAD only.
 *
 * ```ts
 * http.createServer((req, res) => req.url === '/metrics' ? metrics(req, res) : app(req, res));
 * ```
 */
export function createMetricsHandler(registry: Registry, options: MetricsHandlerOptions = {}) {
  const sliceMs = options.sliceMs ?? 3;
  return async function metricsHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on /metrics` } }));
      return;
    }
    try {
      const format = negotiateFormat(req.headers.accept);
      const snapshot = await registry.collect();
      await sendMetrics(req, res, format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE, format === 'openmetrics' ? openMetricsChunks(snapshot) : textChunks(snapshot), sliceMs);
    } catch (err) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'METRICS_FAILED', message: err instanceof Error ? err.message : String(err) } }));
      } else {
        res.destroy(err instanceof Error ? err : undefined);
      }
    }
  };
}

/**
 * Answers a metrics scrape with `chunks`, the one rule of every `/metrics`
 * wobserver serves: `200`, `no-store`, `Vary: Accept, Accept-Encoding`, gzip
 * when `negotiateEncoding(Accept-Encoding, ['gzip'])` picks it (no brotli:
 * scrapers ask for gzip, and brotli costs more CPU per scrape), the body
 * written in slices of at most `sliceMs` with a yield to the event loop
 * between them, no body for HEAD.
 */
export async function sendMetrics(req: IncomingMessage, res: ServerResponse, contentType: string, chunks: Iterable<string>, sliceMs: number): Promise<void> {
  const gzip = negotiateEncoding(req.headers['accept-encoding'], ['gzip']) === 'gzip';
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store', vary: 'Accept, Accept-Encoding', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  let out: Writable = res;
  if (gzip) {
    const zip = createGzip();
    // pipeline destroys the gzip stream when the response goes away early.
    pipeline(zip, res, () => {});
    out = zip;
  }
  let slice = performance.now();
  for (const chunk of chunks) {
    if (res.destroyed || out.destroyed) return;
    if (!out.write(chunk)) await drained(out, res);
    // A timer, not setImmediate: see nextTurn().
    slice = await yieldIfDue(slice, sliceMs);
  }
  out.end();
}

/** Resolves when `out` can take more, or the response is gone; leaves no listener behind. */
function drained(out: Writable, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      res.off('close', done);
      resolve();
    };
    out.on('drain', done);
    res.on('close', done);
  });
}
