import { jsonFamily } from '../exporters/json/index.js';
import type { NodeAddress, NodeDirectory } from '../nodes/index.js';
import type { Registry } from '../metrics/index.js';
import type { Observer, TableQuery } from '../runtime/index.js';
import { HttpError } from './http-error.js';

/** What can be read (over HTTP, once over the WebSocket, or subscribed to): one topic per runtime page. */
export const TOPICS = ['nodes', 'system', 'load', 'memory', 'applications', 'processes', 'ports', 'tables', 'metrics', 'pages', 'diagnostics', 'about'] as const;
export type Topic = (typeof TOPICS)[number];

/** A topic's parameters: strings, as in a query string (`{ name: 'users', page: '2' }`). */
export type Params = Readonly<Record<string, string>>;

export interface TopicsContext {
  readonly directory: NodeDirectory;
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

/** Where a request goes: this node, or another one discovery returned. */
export type Target = { local: true } | { local: false; name: string; address: NodeAddress };

/** The path segment that names a thing for these topics: `/api/processes/<id>`, `/api/tables/<name>`, `/api/pages/<command>`. */
export const NAMED: Partial<Record<Topic, string>> = { processes: 'id', tables: 'name', pages: 'command' };

/**
 * Reads one topic for one node. The HTTP API and the WebSocket both come here,
 * so a page answers the same whichever way it is asked. `local` and this
 * node's own name are answered here; a node discovery returned is asked over
 * signed HTTP; any other name is `NODE_NOT_FOUND` (never an address the client
 * chose).
 */
export class Topics {
  readonly #ctx: TopicsContext;

  constructor(ctx: TopicsContext) {
    this.#ctx = ctx;
  }

  get nodeName(): string {
    return this.#ctx.nodeName;
  }

  /** Resolves a node name: this node, or a discovered one (when proxying is on). */
  async resolve(node: string | undefined): Promise<Target> {
    if (node === undefined || node === '' || node === 'local' || node === this.#ctx.nodeName) return { local: true };
    const found = await this.#ctx.directory.find(node);
    if (found === undefined) throw new HttpError(404, 'NODE_NOT_FOUND', `No node named "${node}"`);
    if (found.state.local) return { local: true };
    if (!this.#ctx.directory.proxying) {
      throw new HttpError(403, 'PROXY_DISABLED', `Proxying to other nodes is off: give every node the same nodes.secret to reach "${node}" from here`);
    }
    return { local: false, name: node, address: found.address };
  }

  /** The signed client to other nodes (only when proxying is on). */
  client(): NonNullable<NodeDirectory['client']> {
    const c = this.#ctx.directory.client;
    if (c === undefined) throw new HttpError(403, 'PROXY_DISABLED', 'Proxying to other nodes is off: give every node the same nodes.secret');
    return c;
  }

  /** Reads a topic of any node. */
  async readOn(node: string | undefined, topic: Topic, params: Params = {}): Promise<unknown> {
    const target = topic === 'nodes' ? ({ local: true } as const) : await this.resolve(node);
    if (target.local) return this.read(topic, params);
    const query = new URLSearchParams(params);
    const named = NAMED[topic];
    let path = `/api/${topic}`;
    if (named !== undefined && params[named] !== undefined) {
      path += `/${encodeURIComponent(params[named]!)}`;
      query.delete(named);
    }
    const qs = query.toString();
    // Another node's errors (NodeRequestError) keep their status and code through sendError and errorBody.
    return this.#ctx.directory.client!.json(target.address, `${path}${qs ? `?${qs}` : ''}`);
  }

  async read(topic: Topic, params: Params = {}): Promise<unknown> {
    const o = this.#ctx.observer;
    switch (topic) {
      case 'nodes':
        return (await this.#ctx.directory.list()).map((n) => ({ ...n, proxy: this.#ctx.directory.proxying || n.local }));
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
