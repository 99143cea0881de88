import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from '../metrics/index.js';
import type { Observer, TableQuery } from '../runtime/index.js';
import { HttpError, sendJson } from './http-error.js';

/** The pages under `/api/`, in the order the index lists them. */
export const API_PAGES = ['nodes', 'system', 'load', 'memory', 'applications', 'processes', 'ports', 'tables', 'pages', 'diagnostics', 'about'] as const;

export interface ApiContext {
  readonly observer: Observer;
  readonly registry: Registry;
  readonly nodeName: string;
  readonly prefix: string;
  readonly version: string;
  readonly diagnostics: { readonly enabled: boolean; readonly minIntervalMs: number };
  /** The load sampler stays subscribed this long after the last `/api/load` read. */
  readonly loadLeaseMs: number;
}

/**
 * Answers `/api/...` (the path after the prefix, split in segments). A node
 * segment may come first: `local` or this node's own name answer here; any
 * other name is a 404 that names it (the multi-node issue proxies those).
 */
export class Api {
  readonly #ctx: ApiContext;
  #loadLease: NodeJS.Timeout | undefined;
  #loadOff: (() => void) | undefined;
  #lastSnapshot = 0;

  constructor(ctx: ApiContext) {
    this.#ctx = ctx;
  }

  async handle(req: IncomingMessage, res: ServerResponse, segments: string[], query: URLSearchParams): Promise<void> {
    let [page, ...rest] = segments;
    if (page !== undefined && !(API_PAGES as readonly string[]).includes(page)) {
      const node = page;
      if (node !== 'local' && node !== this.#ctx.nodeName) throw new HttpError(404, 'NODE_NOT_FOUND', `No node named "${node}"`);
      [page, ...rest] = rest;
    }
    if (page === undefined) {
      sendJson(res, 200, { pages: API_PAGES });
      return;
    }
    const method = req.method ?? 'GET';
    const get = method === 'GET' || method === 'HEAD';
    const o = this.#ctx.observer;
    switch (page) {
      case 'nodes':
        return this.#read(res, get, rest, () => [{ name: this.#ctx.nodeName, local: true, state: 'up', prefix: this.#ctx.prefix }]);
      case 'system':
        return this.#read(res, get, rest, () => o.system());
      case 'memory':
        return this.#read(res, get, rest, () => o.memory());
      case 'applications':
        return this.#read(res, get, rest, () => o.applications({ refresh: query.get('refresh') === 'true' }));
      case 'ports':
        return this.#read(res, get, rest, () => o.ports({ full: query.get('full') === 'true', limit: intParam(query, 'limit', 1000, 1, 100_000) }));
      case 'about':
        return this.#read(res, get, rest, () => ({
          name: 'wobserver',
          version: this.#ctx.version,
          node: this.#ctx.nodeName,
          prefix: this.#ctx.prefix,
          diagnostics: this.#ctx.diagnostics.enabled,
          pid: process.pid,
        }));
      case 'load':
        return this.#read(res, get, rest, () => {
          this.#leaseLoad();
          return o.load.columns();
        });
      case 'processes':
        if (!get) throw notAllowed(method, 'GET');
        if (rest.length === 0) return void sendJson(res, 200, o.processes());
        if (rest.length === 1) {
          const detail = o.process(rest[0]!);
          if (detail === undefined) throw new HttpError(404, 'PROCESS_NOT_FOUND', `No process "${rest[0]}" (it may have ended)`);
          return void sendJson(res, 200, detail);
        }
        throw notFound(segments);
      case 'tables':
        if (!get) throw notAllowed(method, 'GET');
        if (rest.length === 0) return void sendJson(res, 200, o.tables.list());
        if (rest.length === 1) return void sendJson(res, 200, await o.tables.page(rest[0]!, tableQuery(query)));
        throw notFound(segments);
      case 'pages':
        if (!get) throw notAllowed(method, 'GET');
        if (rest.length === 0) return void sendJson(res, 200, o.pages.list());
        if (rest.length === 1) return void sendJson(res, 200, await o.pages.run(rest[0]!));
        throw notFound(segments);
      case 'diagnostics':
        return this.#diagnostics(req, res, rest, method);
      default:
        throw notFound(segments);
    }
  }

  /** Stops the load lease (server shutdown). */
  close(): void {
    clearTimeout(this.#loadLease);
    this.#loadOff?.();
    this.#loadOff = undefined;
  }

  #read(res: ServerResponse, get: boolean, rest: string[], fn: () => unknown): void {
    if (!get) throw notAllowed('this method', 'GET');
    if (rest.length > 0) throw notFound(rest);
    sendJson(res, 200, fn());
  }

  /** A poller keeps the sampler running while it reads; it stops `loadLeaseMs` after the last read. */
  #leaseLoad(): void {
    this.#loadOff ??= this.#ctx.observer.load.subscribe();
    clearTimeout(this.#loadLease);
    this.#loadLease = setTimeout(() => {
      this.#loadOff?.();
      this.#loadOff = undefined;
    }, this.#ctx.loadLeaseMs);
    this.#loadLease.unref();
  }

  async #diagnostics(req: IncomingMessage, res: ServerResponse, rest: string[], method: string): Promise<void> {
    const d = this.#ctx.observer.diagnostics;
    const [what, action] = rest;
    if (what === undefined) {
      if (method !== 'GET' && method !== 'HEAD') throw notAllowed(method, 'GET');
      return void sendJson(res, 200, { enabled: this.#ctx.diagnostics.enabled, ...d.state() });
    }
    if (!this.#ctx.diagnostics.enabled) {
      throw new HttpError(403, 'DIAGNOSTICS_DISABLED', 'Diagnostics are off: start wobserver with `diagnostics: true` to allow profiles, heap snapshots and reports');
    }
    if (method !== 'POST') throw notAllowed(method, 'POST');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const key = `${what}/${action ?? ''}`;
    switch (key) {
      case 'cpu-profile/start':
        await d.startCpuProfile();
        return void sendJson(res, 202, d.state());
      case 'cpu-profile/stop':
        return download(res, `cpu-${stamp}.cpuprofile`, JSON.stringify(await d.stopCpuProfile()));
      case 'heap-profile/start':
        await d.startHeapProfile();
        return void sendJson(res, 202, d.state());
      case 'heap-profile/stop':
        return download(res, `heap-${stamp}.heapprofile`, JSON.stringify(await d.stopHeapProfile()));
      case 'report/':
        return download(res, `report-${stamp}.json`, JSON.stringify(d.report()));
      case 'heap-snapshot/': {
        const wait = this.#lastSnapshot + this.#ctx.diagnostics.minIntervalMs - Date.now();
        if (wait > 0) throw new HttpError(429, 'RATE_LIMITED', `One heap snapshot per ${this.#ctx.diagnostics.minIntervalMs / 1000} s: try again in ${Math.ceil(wait / 1000)} s`);
        this.#lastSnapshot = Date.now();
        // Written to a file chunk by chunk, then streamed: the snapshot never sits whole in memory.
        const path = join(tmpdir(), `wobserver-${process.pid}-${Date.now()}.heapsnapshot`);
        try {
          const bytes = await d.heapSnapshotToFile(path);
          res.writeHead(200, attachment(`heap-${stamp}.heapsnapshot`, bytes));
          await new Promise<void>((resolve, reject) => {
            const stream = createReadStream(path);
            stream.on('error', reject);
            res.on('close', resolve);
            stream.pipe(res);
          });
        } finally {
          await unlink(path).catch(() => undefined);
        }
        return;
      }
      default:
        void req;
        throw new HttpError(404, 'NOT_FOUND', `No diagnostics action "${rest.join('/')}"`);
    }
  }
}

function download(res: ServerResponse, filename: string, body: string): void {
  res.writeHead(200, attachment(filename, Buffer.byteLength(body)));
  res.end(body);
}

function attachment(filename: string, bytes: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'content-disposition': `attachment; filename="${filename}"`,
    'content-length': String(bytes),
    'cache-control': 'no-store',
  };
}

function notFound(segments: string[]): HttpError {
  return new HttpError(404, 'NOT_FOUND', `No API route /${['api', ...segments].join('/')}`);
}

function notAllowed(method: string, allowed: string): HttpError {
  return new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${allowed}`);
}

function intParam(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, 'BAD_PARAMETER', `${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function tableQuery(q: URLSearchParams): TableQuery {
  const out: TableQuery = { page: intParam(q, 'page', 0, 0, 1e9), pageSize: intParam(q, 'pageSize', 50, 1, 1000) };
  const sort = q.get('sort');
  if (sort !== null) out.sort = sort as TableQuery['sort'];
  const order = q.get('order');
  if (order !== null) out.order = order as TableQuery['order'];
  const search = q.get('search');
  if (search !== null) out.search = search.slice(0, 200);
  return out;
}
