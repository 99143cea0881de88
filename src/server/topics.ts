import { jsonFamily } from '../exporters/json/index.js';
import type { Registry } from '../metrics/index.js';
import type { Observer, TableQuery } from '../runtime/index.js';
import { HttpError } from './http-error.js';

/** What can be read (over HTTP, once over the WebSocket, or subscribed to): one topic per runtime page. */
export const TOPICS = ['nodes', 'system', 'load', 'memory', 'applications', 'processes', 'ports', 'tables', 'metrics', 'pages', 'diagnostics', 'about'] as const;
export type Topic = (typeof TOPICS)[number];

/** A topic's parameters: strings, as in a query string (`{ name: 'users', page: '2' }`). */
export type Params = Readonly<Record<string, string>>;

export interface TopicsContext {
  readonly observer: Observer;
  readonly registry: Registry;
  readonly nodeName: string;
  readonly prefix: string;
  readonly version: string;
  readonly diagnostics: boolean;
}

export function isTopic(s: unknown): s is Topic {
  return typeof s === 'string' && (TOPICS as readonly string[]).includes(s);
}

/**
 * Reads one topic for one node. The HTTP API and the WebSocket both come here,
 * so a page answers the same whichever way it is asked. Only `local` and this
 * node's own name answer; any other node is `NODE_NOT_FOUND`.
 */
export class Topics {
  readonly #ctx: TopicsContext;

  constructor(ctx: TopicsContext) {
    this.#ctx = ctx;
  }

  get nodeName(): string {
    return this.#ctx.nodeName;
  }

  /** Throws `NODE_NOT_FOUND` for a node this server cannot answer for. */
  checkNode(node: string | undefined): void {
    if (node === undefined || node === 'local' || node === this.#ctx.nodeName) return;
    throw new HttpError(404, 'NODE_NOT_FOUND', `No node named "${node}"`);
  }

  async read(topic: Topic, params: Params = {}): Promise<unknown> {
    const o = this.#ctx.observer;
    switch (topic) {
      case 'nodes':
        return [{ name: this.#ctx.nodeName, local: true, state: 'up', prefix: this.#ctx.prefix }];
      case 'system':
        return o.system();
      case 'memory':
        return o.memory();
      case 'applications':
        return o.applications({ refresh: params.refresh === 'true' });
      case 'ports':
        return o.ports({ full: params.full === 'true', limit: intParam(params, 'limit', 1000, 1, 100_000) });
      case 'load':
        return o.load.columns(numParam(params, 'since'));
      case 'processes': {
        if (params.id === undefined) return o.processes();
        const detail = o.process(params.id);
        if (detail === undefined) throw new HttpError(404, 'PROCESS_NOT_FOUND', `No process "${params.id}" (it may have ended)`);
        return detail;
      }
      case 'tables':
        return params.name === undefined ? o.tables.list() : o.tables.page(params.name, tableQuery(params));
      case 'metrics': {
        // The registry, as /metrics?format=json has it; `search` keeps the families whose name contains it.
        const snapshot = await this.#ctx.registry.collect();
        const search = params.search?.toLowerCase();
        const families = snapshot.families.filter((f) => search === undefined || f.name.toLowerCase().includes(search));
        return { timestamp: snapshot.timestamp, families: families.map(jsonFamily) };
      }
      case 'pages':
        return params.command === undefined ? o.pages.list() : o.pages.run(params.command);
      case 'diagnostics':
        return { enabled: this.#ctx.diagnostics, ...o.diagnostics.state() };
      case 'about':
        return {
          name: 'wobserver',
          version: this.#ctx.version,
          node: this.#ctx.nodeName,
          prefix: this.#ctx.prefix,
          diagnostics: this.#ctx.diagnostics,
          pid: process.pid,
        };
    }
  }
}

export function intParam(q: Params, name: string, fallback: number, min: number, max: number): number {
  const raw = q[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new HttpError(400, 'BAD_PARAMETER', `${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function numParam(q: Params, name: string): number | undefined {
  const raw = q[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n)) throw new HttpError(400, 'BAD_PARAMETER', `${name} must be a number, got "${raw}"`);
  return n;
}

function tableQuery(q: Params): TableQuery {
  const out: TableQuery = { page: intParam(q, 'page', 0, 0, 1e9), pageSize: intParam(q, 'pageSize', 50, 1, 1000) };
  if (q.sort !== undefined) out.sort = q.sort as TableQuery['sort'];
  if (q.order !== undefined) out.order = q.order as TableQuery['order'];
  if (q.search !== undefined) out.search = q.search.slice(0, 200);
  return out;
}
