import type { HistogramSeries } from '../../metrics/index.js';
import type { InboundInfo, InboundRoute, SlowRoute, TrafficPoint } from '../../protocol/traffic.js';
import { type MetricSinks, codeLabel } from './sinks.js';
import { RollingWindow, codesRecord, emptyWindow } from './window.js';

/** The route every request past `maxRoutes` distinct routes is counted under. */
export const OVERFLOW_ROUTE = '(overflow)';

/** Routes listed among the slowest. */
const SLOWEST = 10;

export type RouteSource = InboundRoute['source'];

/** One route and method: totals, status codes, the live window and its metric series. */
class InboundEntry {
  readonly method: string;
  readonly route: string;
  readonly source: RouteSource;
  count = 0;
  errors = 0;
  bytes = 0;
  readonly codes = new Map<number, number>();
  readonly window: RollingWindow;
  /** Per status code, one bound series per registry: kept, so that an update costs no lookup. */
  #series = new Map<number, HistogramSeries[]>();
  #generation = -1;

  constructor(method: string, route: string, source: RouteSource, window: RollingWindow) {
    this.method = method;
    this.route = route;
    this.source = source;
    this.window = window;
  }

  series(code: number, sinks: MetricSinks): HistogramSeries[] {
    if (this.#generation !== sinks.generation) {
      this.#series = new Map();
      this.#generation = sinks.generation;
    }
    let s = this.#series.get(code);
    if (s === undefined) {
      const label = codeLabel(code);
      s = sinks.list.map((m) => m.inbound(label, this.method, this.route));
      this.#series.set(code, s);
    }
    return s;
  }
}

/**
 * What the process served, per route and method. Bounded: at most
 * `maxRoutes` distinct routes (each with the methods it was asked with, which
 * Node's parser limits to its known list); the requests of any later route
 * are counted under {@link OVERFLOW_ROUTE}, in the page and in the metrics.
 */
export class InboundTable {
  readonly maxRoutes: number;
  /** Requests counted under the overflow route. */
  overflowed = 0;
  readonly #windowMs: number;
  readonly #sinks: MetricSinks;
  #routes = new Map<string, Map<string, InboundEntry>>();
  /** Distinct routes, the overflow route not included. */
  #known = 0;
  /** Every route together: the page's totals over time, percentiles included. */
  #all: RollingWindow | undefined;

  constructor(maxRoutes: number, windowMs: number, sinks: MetricSinks) {
    this.maxRoutes = maxRoutes;
    this.#windowMs = windowMs;
    this.#sinks = sinks;
  }

  /** Counts one finished response at `t` (ms since the epoch). */
  record(method: string, route: string, source: RouteSource, code: number, ms: number, bytes: number, t: number): void {
    let methods = this.#routes.get(route);
    if (methods === undefined) {
      if (this.#known >= this.maxRoutes) {
        this.overflowed++;
        route = OVERFLOW_ROUTE;
        source = 'overflow';
        methods = this.#routes.get(route);
      } else {
        this.#known++;
      }
      if (methods === undefined) this.#routes.set(route, (methods = new Map()));
    } else if (route === OVERFLOW_ROUTE) {
      this.overflowed++;
    }
    let e = methods.get(method);
    if (e === undefined) methods.set(method, (e = new InboundEntry(method, route, source, new RollingWindow(this.#windowMs, t))));
    const error = code >= 500;
    e.count++;
    if (error) e.errors++;
    e.bytes += bytes;
    e.codes.set(code, (e.codes.get(code) ?? 0) + 1);
    e.window.add(t, ms, code, error, bytes);
    (this.#all ??= new RollingWindow(this.#windowMs, t)).add(t, ms, code, error, bytes);
    if (this.#sinks.list.length > 0) {
      const seconds = ms / 1000;
      for (const s of e.series(code, this.#sinks)) s.observe(seconds);
    }
  }

  /** One route and method's closed windows as of `t`; undefined when not known. */
  history(method: string, route: string, t: number): TrafficPoint[] | undefined {
    return this.#routes.get(route)?.get(method)?.window.history(t);
  }

  /** The page's inbound part as of `t`. */
  info(t: number): InboundInfo {
    const routes: InboundRoute[] = [];
    const codes = new Map<string, number>();
    let count = 0;
    let errors = 0;
    let bytes = 0;
    for (const methods of this.#routes.values()) {
      for (const e of methods.values()) {
        count += e.count;
        errors += e.errors;
        bytes += e.bytes;
        for (const [c, n] of e.codes) codes.set(String(c), (codes.get(String(c)) ?? 0) + n);
        routes.push({
          method: e.method,
          route: e.route,
          source: e.source,
          totals: { count: e.count, errors: e.errors, bytes: e.bytes },
          statusCodes: codesRecord(e.codes),
          current: e.window.current(t),
          last: e.window.last(t),
        });
      }
    }
    routes.sort((a, b) => b.totals.count - a.totals.count || (a.route < b.route ? -1 : 1));
    const start = t - (t % this.#windowMs);
    const all = this.#all;
    return {
      totals: { count, errors, bytes },
      current: all === undefined ? emptyWindow(start, t - start) : all.current(t),
      last: all === undefined ? null : all.last(t),
      history: all === undefined ? [] : all.history(t),
      statusCodes: Object.fromEntries(codes),
      routes,
      slowest: slowest(routes),
      maxRoutes: this.maxRoutes,
      overflowed: this.overflowed,
    };
  }
}

/** The routes with the highest p95, from their last closed window, else from the open one. */
function slowest(routes: readonly InboundRoute[]): SlowRoute[] {
  const out: SlowRoute[] = [];
  for (const r of routes) {
    const [w, which] = r.last !== null && r.last.count > 0 ? [r.last, 'last' as const] : [r.current, 'current' as const];
    if (w.p95Ms === null || w.p99Ms === null || w.maxMs === null) continue;
    out.push({ method: r.method, route: r.route, window: which, count: w.count, p95Ms: w.p95Ms, p99Ms: w.p99Ms, maxMs: w.maxMs });
  }
  return out.sort((a, b) => b.p95Ms - a.p95Ms).slice(0, SLOWEST);
}
