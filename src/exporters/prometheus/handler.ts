import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Registry } from '../../metrics/index.js';
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
 * `Accept` header asks for, yielding to the event loop between chunks so a
 * large registry never blocks the host for long. GET and HEAD only.
 *
 * ```ts
 * http.createServer((req, res) => req.url === '/metrics' ? metrics(req, res) : app(req, res));
 * ```
 */
export function createMetricsHandler(registry: Registry, options: MetricsHandlerOptions = {}) {
  const sliceMs = options.sliceMs ?? 3;
  return async function metricsHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on /metrics` } }));
      return;
    }
    try {
      const format = negotiateFormat(req.headers.accept);
      const snapshot = await registry.collect();
      res.writeHead(200, {
        'content-type': format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE,
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      let slice = performance.now();
      const chunks = format === 'openmetrics' ? openMetricsChunks(snapshot) : textChunks(snapshot);
      for (const chunk of chunks) {
        if (res.destroyed) return;
        if (!res.write(chunk)) await drained(res);
        if (performance.now() - slice > sliceMs) {
          // A timer, not setImmediate: a continuation resumed in the poll phase that
          // yields with setImmediate runs again in the same loop turn's check phase,
          // which would make two slices one block.
          await sleep(0);
          slice = performance.now();
        }
      }
      res.end();
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

/** Resolves when the response can take more, or is gone; leaves no listener behind. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
