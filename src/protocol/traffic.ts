// The Traffic page: HTTP requests the process serves (per route) and makes (per destination host).
// Every number is JSON-safe: a statistic of an empty window is null, never NaN.

/** Requests seen over one window of time: one closed window (`last`) or the one still open (`current`). */
export interface TrafficWindow {
  /** Start of the window, ms since the epoch; windows align to multiples of `windowMs`. */
  start: number;
  /** Length of time the window covers, ms: `windowMs` once closed, the time elapsed so far while open. */
  ms: number;
  /** Requests that ended inside the window (inbound: responses finished; outbound: responses and failures). */
  count: number;
  /** Inbound: responses with a 5xx status. Outbound: requests that failed without a response. */
  errors: number;
  /** `count` per second of `ms`; 0 when `ms` is 0. */
  rps: number;
  /** Inbound: bytes written to the socket for the responses, headers included. Outbound: 0 (not measured). */
  bytes: number;
  /** Median duration, ms; null without a response in the window. Within 1% (a bounded sketch). */
  p50Ms: number | null;
  /** 95th percentile duration, ms; null without a response. */
  p95Ms: number | null;
  /** 99th percentile duration, ms; null without a response. */
  p99Ms: number | null;
  /** Longest duration, ms (exact); null without a response. */
  maxMs: number | null;
  /** Responses by status code (`"200"`, `"404"`, …) inside the window. */
  statusCodes: Record<string, number>;
}

/** One closed window in a history: what the charts plot. */
export interface TrafficPoint {
  /** Start of the window, ms since the epoch. */
  start: number;
  /** Requests that ended in it. */
  count: number;
  /** Inbound: 5xx responses; outbound: failures without a response. */
  errors: number;
  /** Percentiles of its durations, ms; null without a response in it. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** Totals since tracking started. */
export interface TrafficTotals {
  /** Requests that ended (inbound: responses finished; outbound: responses and failures). */
  count: number;
  /** Inbound: 5xx responses. Outbound: failures without a response. */
  errors: number;
  /** Inbound: response bytes on the wire, headers included. Outbound: 0 (not measured). */
  bytes: number;
}

/** One inbound route and method: what the process answered on it. */
export interface InboundRoute {
  /** HTTP method as received (`GET`, `POST`, …). */
  method: string;
  /**
   * The route: the framework's template (`/users/:id`, Express mount path included), the
   * user's `routeOf(req)`, or the normalized path (ids, UUIDs, long hex as `:id`, no query).
   * `(overflow)` collects every route past `maxRoutes`.
   */
  route: string;
  /** Where the route came from: `user` (routeOf), `framework` (Express, Fastify, Koa, a tag), `normalized`, or `overflow`. */
  source: 'user' | 'framework' | 'normalized' | 'overflow';
  /** Since tracking started. */
  totals: TrafficTotals;
  /** Responses by status code since tracking started. */
  statusCodes: Record<string, number>;
  /** The window still open. */
  current: TrafficWindow;
  /** The last closed window; null before one closed. */
  last: TrafficWindow | null;
}

/** One route among the slowest. */
export interface SlowRoute {
  method: string;
  route: string;
  /** Which window the percentiles are from: the last closed one, or the open one when no window closed yet. */
  window: 'last' | 'current';
  /** Responses in that window. */
  count: number;
  /** 95th percentile duration in that window, ms. */
  p95Ms: number;
  /** 99th percentile duration in that window, ms. */
  p99Ms: number;
  /** Longest duration in that window, ms. */
  maxMs: number;
}

/** What the process served. */
export interface InboundInfo {
  /** Every route, all methods, since tracking started. */
  totals: TrafficTotals;
  /** All routes together over the open window. */
  current: TrafficWindow;
  /** All routes together over the last closed window; null before one closed. */
  last: TrafficWindow | null;
  /** All routes together, the closed windows that saw requests, oldest first: the last `TRAFFIC_HISTORY` (60) windows at most (10 minutes at the default `windowMs`). */
  history: TrafficPoint[];
  /** Responses by status code since tracking started. */
  statusCodes: Record<string, number>;
  /** One row per route and method, the most requests first. */
  routes: InboundRoute[];
  /** The routes with the highest p95 (last closed window, else the open one), slowest first, at most 10. */
  slowest: SlowRoute[];
  /** Distinct routes kept at most; the rest are counted under `(overflow)`. */
  maxRoutes: number;
  /** Requests counted under `(overflow)` because `maxRoutes` routes were already known. */
  overflowed: number;
}

/** Counts by response status class. */
export interface StatusClasses {
  '1xx': number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
}

/** One destination host: every request the process made to it. */
export interface OutboundHost {
  /** Host as dialled, with the port when not the scheme's default (`api.example.com`, `127.0.0.1:8080`); `(overflow)` past `maxHosts`. */
  host: string;
  /** Since tracking started: responses plus failures. */
  totals: TrafficTotals;
  /** Requests by method since tracking started. */
  methods: Record<string, number>;
  /** Responses by status class since tracking started. */
  statusClasses: StatusClasses;
  /**
   * Failures without a response, by error code since tracking started: the error's own code
   * (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, `UND_ERR_HEADERS_TIMEOUT`, …), `ETIMEDOUT` for a
   * timeout signal (`AbortSignal.timeout`), `ABORT_ERR` for an abort, `UNKNOWN` without a code.
   */
  errorCodes: Record<string, number>;
  /** The window still open (durations are the responses', to their headers). */
  current: TrafficWindow;
  /** The last closed window; null before one closed. */
  last: TrafficWindow | null;
}

/** What the process asked of others, through `http.request`/`https.request` and `fetch`/undici. */
export interface OutboundInfo {
  /** Every host together, since tracking started. */
  totals: TrafficTotals;
  /** Every host together, the closed windows that saw requests, oldest first (at most 60). */
  history: TrafficPoint[];
  /** One row per host, the most requests first. */
  hosts: OutboundHost[];
  /** Distinct hosts kept at most; the rest are counted under `(overflow)`. */
  maxHosts: number;
  /** Requests counted under `(overflow)` because `maxHosts` hosts were already known. */
  overflowed: number;
}

/** The Traffic page: inbound per route, outbound per host, live. */
export interface TrafficInfo {
  /** Whether traffic is tracked (option `traffic.enabled`); when false every list is empty. */
  enabled: boolean;
  /** When tracking started, ms since the epoch; null when it is not running. */
  since: number | null;
  /** Length of a window, ms. */
  windowMs: number;
  inbound: InboundInfo;
  outbound: OutboundInfo;
  /** The history of the route asked for (`method` and `route` parameters); null when none was asked or it is not known. */
  route: { method: string; route: string; history: TrafficPoint[] } | null;
  /** What went wrong on wobserver's side; the application never sees any of it. */
  faults: {
    /** Errors thrown in wobserver's own channel handlers (swallowed), or by an `ignore` hook, and registries whose traffic metrics could not be registered. */
    internal: number;
    /** Calls of the user's `routeOf` that threw; those requests fell back to the normalizer. */
    routeOf: number;
    /** The latest of them, cut at 500 characters; null when none. */
    lastMessage: string | null;
  };
}
