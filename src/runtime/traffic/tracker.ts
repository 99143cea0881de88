import dc from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Registry } from '../../metrics/index.js';
import type { TrafficInfo } from '../../protocol/traffic.js';
import { InboundTable, type RouteSource } from './inbound.js';
import { type ResolvedTrafficOptions, type TrafficOptions, resolveTrafficOptions } from './options.js';
import { OutboundTable } from './outbound.js';
import { OutboundChannels } from './outbound-channels.js';
import { MAX_ROUTE_LENGTH, PathNormalizer } from './normalize.js';
import { frameworkRoute, onFastifyHandler } from './route.js';
import { MetricSinks } from './sinks.js';
import { emptyWindow } from './window.js';
import { type RequestPredicate, RequestIgnores } from '../request-ignores.js';

/** When the request started (the tracker's clock, ms) and how many bytes its socket had written then. */
const STARTED = Symbol('wobserver.traffic.started');
const WRITTEN = Symbol('wobserver.traffic.written');
type Stamped = IncomingMessage & { [STARTED]?: number; [WRITTEN]?: number; originalUrl?: string };

interface ServerMessage {
  request: Stamped;
  response: ServerResponse;
  socket: Socket | undefined;
  server: Server;
}

/**
 * Counts every HTTP request the process serves and makes, from Node's
 * diagnostics channels, patching nothing and adding no listener to a served
 * request: `http.server.request.start` stamps the start time on it and
 * `http.server.response.finish` counts it — status code, duration, bytes on
 * the wire — under its route (the user's `routeOf`, the framework's template,
 * or the normalized path; see `route.ts`). Outbound requests come from
 * `http.client.*` and undici's `undici:request:*` channels (see
 * `outbound-channels.ts`). The Traffic page reads `info()`; the metrics go to
 * each registry given to `registerMetrics()`.
 *
 * Never throws into the application: each subscriber catches what it throws,
 * counts it in `faults` and warns once.
 *
 * ```ts
 * const traffic = new TrafficTracker({ ignore: (req) => req.url?.startsWith('/wobserver') === true });
 * traffic.start();
 * const remove = traffic.registerMetrics(registry);
 * traffic.info().inbound.routes;
 * traffic.close();
 * ```
 */
export class TrafficTracker {
  readonly options: ResolvedTrafficOptions;
  readonly #now: () => number;
  readonly #sinks = new MetricSinks();
  readonly #inbound: InboundTable;
  readonly #outbound: OutboundTable;
  readonly #outboundChannels: OutboundChannels;
  readonly #normalizer = new PathNormalizer();
  readonly #faults: TrafficInfo['faults'] = { internal: 0, routeOf: 0, lastMessage: null };
  #warned = false;
  #since: number | null = null;
  /** The `ignore` option, then every predicate added by `ignoreRequests()`. */
  readonly #ignores: RequestIgnores;

  /** Throws an OptionError (`INVALID_OPTION`) naming a bad option. */
  constructor(options?: TrafficOptions) {
    this.options = resolveTrafficOptions(options);
    this.#now = this.options.now;
    this.#ignores = new RequestIgnores(this.options.ignore);
    this.#inbound = new InboundTable(this.options.maxRoutes, this.options.windowMs, this.#sinks);
    this.#outbound = new OutboundTable(this.options.maxHosts, this.options.windowMs, this.#sinks);
    this.#outboundChannels = new OutboundChannels(this.#outbound, this.#now, () => this.#epoch(), this.options.ignoreOutbound, (err) =>
      this.#fault(err),
    );
  }

  /** Whether the channels are subscribed. */
  get running(): boolean {
    return this.#since !== null;
  }

  /** Subscribes to the channels (nothing when `enabled` is false). Idempotent. */
  start(): void {
    if (this.#since !== null || !this.options.enabled) return;
    this.#since = this.#epoch();
    dc.subscribe('http.server.request.start', this.#onStart);
    dc.subscribe('http.server.response.finish', this.#onFinish);
    dc.subscribe('tracing:fastify.request.handler:start', this.#onFastify);
    this.#outboundChannels.subscribe();
  }

  /** Unsubscribes from every channel; what was counted stays readable. Idempotent; `start()` resumes. */
  close(): void {
    if (this.#since === null) return;
    this.#since = null;
    dc.unsubscribe('http.server.request.start', this.#onStart);
    dc.unsubscribe('http.server.response.finish', this.#onFinish);
    dc.unsubscribe('tracing:fastify.request.handler:start', this.#onFastify);
    this.#outboundChannels.unsubscribe();
  }

  /**
   * Leaves out the inbound requests `predicate` names too, beside the `ignore`
   * option: what the server that mounts wobserver knows only later (its
   * prefix, its own standalone server). Returns the remover. A predicate that
   * throws counts as a fault, and that request goes uncounted.
   *
   * ```ts
   * const stop = traffic.ignoreRequests((req, server) => server === ownServer || req.url?.startsWith('/wobserver/') === true);
   * ```
   */
  ignoreRequests(predicate: RequestPredicate): () => void {
    return this.#ignores.add(predicate);
  }

  /**
   * Counts the traffic on `registry` too (`http_request_duration_seconds`,
   * `http_client_request_duration_seconds`, `http_client_request_errors_total`);
   * returns the remover, which unregisters them once every caller for that
   * registry removed. A registry with metrics of those names of its own is
   * left alone (counted in `faults` with the reason).
   */
  registerMetrics(registry: Registry): () => void {
    return this.#sinks.add(registry, (message) => this.#fault(new Error(message)));
  }

  /** The Traffic page; with `method` and `route`, that route's history too (`route` in the answer). */
  info(query: { method?: string; route?: string } = {}): TrafficInfo {
    const t = this.#epoch();
    const w = this.options.windowMs;
    if (!this.options.enabled) {
      const empty = emptyWindow(t - (t % w), t % w);
      return {
        enabled: false,
        since: null,
        windowMs: w,
        inbound: { totals: { count: 0, errors: 0, bytes: 0 }, current: empty, last: null, history: [], statusCodes: {}, routes: [], slowest: [], maxRoutes: this.options.maxRoutes, overflowed: 0 },
        outbound: { totals: { count: 0, errors: 0, bytes: 0 }, history: [], hosts: [], maxHosts: this.options.maxHosts, overflowed: 0 },
        route: null,
        faults: { ...this.#faults },
      };
    }
    const { method, route } = query;
    const history = method === undefined || route === undefined ? undefined : this.#inbound.history(method, route, t);
    return {
      enabled: true,
      since: this.#since,
      windowMs: w,
      inbound: this.#inbound.info(t),
      outbound: this.#outbound.info(t),
      route: history === undefined ? null : { method: method!, route: route!, history },
      faults: { ...this.#faults },
    };
  }

  readonly #onStart = (message: unknown): void => {
    try {
      const m = message as ServerMessage;
      if (this.#ignores.matches(m.request, m.server)) return;
      m.request[STARTED] = this.#now();
      m.request[WRITTEN] = m.socket?.bytesWritten ?? 0;
    } catch (err) {
      this.#fault(err);
    }
  };

  readonly #onFinish = (message: unknown): void => {
    try {
      const m = message as ServerMessage;
      const req = m.request;
      const started = req[STARTED];
      if (started === undefined) return;
      const now = this.#now();
      const bytes = m.socket === undefined ? 0 : m.socket.bytesWritten - (req[WRITTEN] ?? 0);
      let route: string | undefined;
      let source: RouteSource = 'framework';
      let threw = false;
      const routeOf = this.options.routeOf;
      if (routeOf !== undefined) {
        try {
          const r = routeOf(req);
          if (typeof r === 'string' && r !== '') {
            route = r.length > MAX_ROUTE_LENGTH ? r.slice(0, MAX_ROUTE_LENGTH) : r;
            source = 'user';
          }
        } catch (err) {
          threw = true;
          this.#faults.routeOf++;
          this.#note(`routeOf threw: ${describe(err)}`);
        }
      }
      if (route === undefined && !threw) route = frameworkRoute(req);
      if (route === undefined) {
        route = this.#normalizer.normalize(req.originalUrl ?? req.url);
        source = 'normalized';
      }
      this.#inbound.record(req.method ?? 'GET', route, source, m.response.statusCode, now - started, bytes, this.#epoch(now));
    } catch (err) {
      this.#fault(err);
    }
  };

  readonly #onFastify = (message: unknown): void => {
    try {
      onFastifyHandler(message);
    } catch (err) {
      this.#fault(err);
    }
  };

  /** Ms since the epoch on the tracker's clock: windows align to it. */
  #epoch(now: number = this.#now()): number {
    return performance.timeOrigin + now;
  }

  /** An error of wobserver's own, swallowed: counted, remembered, warned about once. */
  #fault(err: unknown): void {
    this.#faults.internal++;
    this.#note(describe(err));
  }

  #note(text: string): void {
    this.#faults.lastMessage = text.slice(0, 500);
    if (this.#warned) return;
    this.#warned = true;
    try {
      process.emitWarning(`wobserver traffic: ${text} (further problems are counted on the Traffic page only)`, { code: 'WOBSERVER_TRAFFIC' });
    } catch {
      // A warning handler that throws must not reach the application either.
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
