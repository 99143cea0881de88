import type { OutboundHost, OutboundInfo, StatusClasses } from '../../protocol/traffic.js';
import { type MetricSinks, codeLabel } from './sinks.js';
import { RollingWindow, codesRecord } from './window.js';

/** The host every request past `maxHosts` distinct hosts is counted under. */
export const OVERFLOW_HOST = '(overflow)';

/** Distinct error codes kept per host; later ones are counted as `OTHER`. */
const MAX_CODES = 32;

const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** Methods counted by name; any other is `_OTHER` (as OpenTelemetry's conventions say), so that a label stays bounded. */
const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

/** A request's method as counted: a standard one, else `_OTHER`. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : '_OTHER';
}

/** One destination host: totals, breakdowns and the live window. */
class OutboundEntry {
  readonly host: string;
  count = 0;
  errors = 0;
  readonly methods = new Map<string, number>();
  readonly classes: StatusClasses = { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  readonly codes = new Map<string, number>();
  readonly window: RollingWindow;

  constructor(host: string, window: RollingWindow) {
    this.host = host;
    this.window = window;
  }
}

/**
 * What the process asked of other hosts. Bounded: at most `maxHosts` hosts
 * (the rest under {@link OVERFLOW_HOST}), each with at most 32 error codes.
 */
export class OutboundTable {
  readonly maxHosts: number;
  /** Requests counted under the overflow host. */
  overflowed = 0;
  readonly #windowMs: number;
  readonly #sinks: MetricSinks;
  readonly #hosts = new Map<string, OutboundEntry>();
  /** Every host together, for the history. */
  #all: RollingWindow | undefined;

  constructor(maxHosts: number, windowMs: number, sinks: MetricSinks) {
    this.maxHosts = maxHosts;
    this.#windowMs = windowMs;
    this.#sinks = sinks;
  }

  /** Counts a response (its headers arrived `ms` after the request started) at `t`, ms since the epoch. */
  response(method: string, host: string, code: number, ms: number, t: number): void {
    const e = this.#entry(host, method, t);
    e.count++;
    const cls = CLASSES[Math.floor(code / 100) - 1];
    if (cls !== undefined) e.classes[cls]++;
    e.window.add(t, ms, code, false, 0);
    (this.#all ??= new RollingWindow(this.#windowMs, t)).add(t, ms, code, false, 0);
    if (this.#sinks.list.length === 0) return;
    const label = codeLabel(code);
    for (const m of this.#sinks.list) m.outbound(label, method, e.host).observe(ms / 1000);
  }

  /** Counts a request that failed without a response, by error code, at `t`. */
  failure(method: string, host: string, code: string, t: number): void {
    const e = this.#entry(host, method, t);
    e.count++;
    e.errors++;
    if (!e.codes.has(code) && e.codes.size >= MAX_CODES) code = 'OTHER';
    e.codes.set(code, (e.codes.get(code) ?? 0) + 1);
    e.window.add(t, NaN, 0, true, 0);
    (this.#all ??= new RollingWindow(this.#windowMs, t)).add(t, NaN, 0, true, 0);
    for (const m of this.#sinks.list) m.outboundError(code, method, e.host).inc();
  }

  #entry(host: string, method: string, t: number): OutboundEntry {
    // method is already methodLabel()'s: the tracker's handlers pass it so.
    let e = this.#hosts.get(host);
    if (e === undefined) {
      if (this.#hosts.size - (this.#hosts.has(OVERFLOW_HOST) ? 1 : 0) >= this.maxHosts) host = OVERFLOW_HOST;
      e = this.#hosts.get(host);
      if (e === undefined) this.#hosts.set(host, (e = new OutboundEntry(host, new RollingWindow(this.#windowMs, t))));
    }
    if (e.host === OVERFLOW_HOST) this.overflowed++;
    e.methods.set(method, (e.methods.get(method) ?? 0) + 1);
    return e;
  }

  /** The page's outbound part as of `t`. */
  info(t: number): OutboundInfo {
    const hosts: OutboundHost[] = [];
    let count = 0;
    let errors = 0;
    for (const e of this.#hosts.values()) {
      count += e.count;
      errors += e.errors;
      hosts.push({
        host: e.host,
        totals: { count: e.count, errors: e.errors, bytes: 0 },
        methods: codesRecord(e.methods),
        statusClasses: { ...e.classes },
        errorCodes: codesRecord(e.codes),
        current: e.window.current(t),
        last: e.window.last(t),
      });
    }
    hosts.sort((a, b) => b.totals.count - a.totals.count || (a.host < b.host ? -1 : 1));
    return { totals: { count, errors, bytes: 0 }, history: this.#all?.history(t) ?? [], hosts, maxHosts: this.maxHosts, overflowed: this.overflowed };
  }
}
