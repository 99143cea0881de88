import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRegistry, type Registry } from '../metrics/index.js';
import { createObserver, type Observer, type ObserverOptions } from '../runtime/index.js';
import { API_PAGES, Api } from './api.js';
import { type AuthOptions, createAuthenticate } from './auth.js';
import { HttpError, sendError } from './http-error.js';
import { type MetricsFormat, serveMetrics } from './metrics-route.js';

export interface WobserverOptions {
  /** URL prefix it is mounted under, e.g. `/wobserver`. Default: none (the root). */
  prefix?: string;
  /** The metrics registry to serve on `/metrics`. Default: a new one, with the runtime metrics. */
  registry?: Registry;
  /** The observer whose pages the API serves. Default: a new one (`observerOptions`). */
  observer?: Observer;
  observerOptions?: ObserverOptions;
  /** Authentication for every route. Default: none (then `start()` binds to loopback only). */
  auth?: AuthOptions;
  /** This node's name in `/api/<node>/...`. Default: the registry's node name. */
  nodeName?: string;
  /** Allow CPU and heap profiles, heap snapshots and reports. Default: false. */
  diagnostics?: boolean | { enabled: boolean; minIntervalMs?: number };
  /** More `/metrics?format=<name>` formats. */
  formats?: Record<string, MetricsFormat>;
  /** Largest request body accepted, in bytes. Default: 65536. */
  maxBodyBytes?: number;
}

/** wobserver's HTTP side, to mount anywhere: `handle(req, res, next?)` answers what is under its prefix. */
export interface Wobserver {
  readonly prefix: string;
  readonly registry: Registry;
  readonly observer: Observer;
  /** Answers requests under the prefix; others go to `next` (or get a 404 when there is none). */
  handle(req: IncomingMessage, res: ServerResponse, next?: () => void): Promise<void>;
  /** Stops what it started (the registry and observer too, when it created them). */
  close(): void;
}

const VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

export function createWobserver(options: WobserverOptions = {}): Wobserver {
  const prefix = normalizePrefix(options.prefix);
  const ownRegistry = options.registry === undefined;
  const registry = options.registry ?? createRegistry();
  const ownObserver = options.observer === undefined;
  const observer = options.observer ?? createObserver(options.observerOptions);
  const d = options.diagnostics;
  const diagnostics = { enabled: d === true || (typeof d === 'object' && d.enabled), minIntervalMs: typeof d === 'object' ? (d.minIntervalMs ?? 60_000) : 60_000 };
  const api = new Api({ observer, registry, nodeName: options.nodeName ?? registry.node, prefix, version: VERSION, diagnostics, loadLeaseMs: 15_000 });
  const authenticate = createAuthenticate(options.auth);
  const formats = { ...(options.formats ?? {}) };
  const maxBody = options.maxBodyBytes ?? 65_536;

  return {
    prefix,
    registry,
    observer,
    async handle(req, res, next) {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname;
      if (prefix !== '' && path !== prefix && !path.startsWith(`${prefix}/`)) {
        if (next !== undefined) next();
        else sendError(res, new HttpError(404, 'NOT_FOUND', `Nothing at ${path}`));
        return;
      }
      const rest = path.slice(prefix.length) || '/';
      try {
        const route = rest === '/metrics' ? 'metrics' : 'other';
        if (!(await authenticate(req, route))) throw new HttpError(401, 'UNAUTHORIZED', 'Authentication required');
        const length = Number(req.headers['content-length'] ?? 0);
        if (length > maxBody) throw new HttpError(413, 'BODY_TOO_LARGE', `Request bodies are limited to ${maxBody} bytes`);
        await drainBody(req, maxBody);
        if (rest === '/metrics') {
          if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on /metrics`);
          return await serveMetrics(req, res, registry, formats);
        }
        if (rest === '/' || rest === '') return index(res, prefix);
        const segments = rest.split('/').filter((s) => s !== '').map(decodeSegment);
        if (segments[0] === 'api') return await api.handle(req, res, segments.slice(1), url.searchParams);
        throw new HttpError(404, 'NOT_FOUND', `Nothing at ${prefix}${rest}`);
      } catch (err) {
        sendError(res, err);
      }
    },
    close() {
      api.close();
      if (ownObserver) observer.close();
      if (ownRegistry) registry.close();
    },
  };
}

function normalizePrefix(p: string | undefined): string {
  if (p === undefined || p === '' || p === '/') return '';
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(p) || p.includes('//') || p.includes('/..')) {
    throw new HttpError(500, 'INVALID_OPTION', `prefix must be a path like "/wobserver", got ${JSON.stringify(p)}`);
  }
  return p.endsWith('/') ? p.slice(0, -1) : p;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, 'BAD_PATH', `Malformed path segment "${s}"`);
  }
}

/** Reads and drops a body, refusing past `max` bytes; API calls take no body. */
async function drainBody(req: IncomingMessage, max: number): Promise<void> {
  if (req.method === 'GET' || req.method === 'HEAD') return;
  let seen = 0;
  for await (const chunk of req) {
    seen += (chunk as Buffer).length;
    if (seen > max) throw new HttpError(413, 'BODY_TOO_LARGE', `Request bodies are limited to ${max} bytes`);
  }
}

/** Until the web UI arrives: a plain index of the API, with relative links so a prefix keeps working. */
function index(res: ServerResponse, prefix: string): void {
  const base = prefix === '' ? '' : `${prefix.split('/').pop()}/`;
  const links = API_PAGES.map((p) => `<li><a href="${base}api/${p}">api/${p}</a></li>`).join('\n');
  const html = `<!doctype html><meta charset="utf-8"><title>wobserver</title>
<h1>wobserver</h1><p>The web UI comes with the next release. The JSON API:</p><ul>
${links}
<li><a href="${base}metrics">metrics</a> (Prometheus)</li></ul>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(html);
}
