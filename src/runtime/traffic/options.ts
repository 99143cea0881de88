import type { IncomingMessage, Server } from 'node:http';
import { OptionError } from '../../metrics/errors.js';

/** What `ignoreOutbound` is shown of a request the process makes. */
export interface OutboundTarget {
  method: string;
  /** As in the Traffic page: the host, with the port when not the default. */
  host: string;
  /** Path and query as sent. */
  path: string;
}

/**
 * HTTP traffic in and out ([docs/traffic.md](../../../docs/traffic.md)).
 *
 * ```ts
 * new TrafficTracker({ maxRoutes: 200, ignore: (req) => req.url?.startsWith('/wobserver') === true });
 * ```
 */
export interface TrafficOptions {
  /** Track traffic at all. Default: true. */
  enabled?: boolean;
  /**
   * The route of an inbound request, asked when its response finished; overrides the
   * framework's template and the normalizer. Return undefined to leave the choice to them;
   * a hook that throws falls back to the normalizer (and is counted in `faults.routeOf`).
   * Default: none.
   */
  routeOf?: (req: IncomingMessage) => string | undefined;
  /** Inbound requests not to count (wobserver's own, health checks), asked when each starts. Default: none. */
  ignore?: (req: IncomingMessage, server: Server) => boolean;
  /** Outbound requests not to count (wobserver's calls to other nodes), asked when each starts. Default: none. */
  ignoreOutbound?: (target: OutboundTarget) => boolean;
  /** Distinct inbound routes kept (1–10000); later ones are counted under `(overflow)`. Default: 100. */
  maxRoutes?: number;
  /** Distinct outbound hosts kept (1–10000); later ones are counted under `(overflow)`. Default: 50. */
  maxHosts?: number;
  /** Length of a window of the page's live numbers, ms (1000–3600000). Default: 10000, the registry's default period. */
  windowMs?: number;
  /** Monotonic clock in ms (for tests). Default: `performance.now`. */
  now?: () => number;
}

/** Every option with its default (`routeOf`, `ignore` and `ignoreOutbound` stay optional). */
export type ResolvedTrafficOptions = Required<Omit<TrafficOptions, 'routeOf' | 'ignore' | 'ignoreOutbound'>> &
  Pick<TrafficOptions, 'routeOf' | 'ignore' | 'ignoreOutbound'>;

/** The defaults, declared once (docs and config list these). */
export const TRAFFIC_DEFAULTS: Readonly<{ enabled: boolean; maxRoutes: number; maxHosts: number; windowMs: number }> = Object.freeze({
  enabled: true,
  maxRoutes: 100,
  maxHosts: 50,
  windowMs: 10_000,
});

/** Fills in the defaults; a bad value throws an OptionError (`INVALID_OPTION`) naming it. */
export function resolveTrafficOptions(o: TrafficOptions = {}): ResolvedTrafficOptions {
  const given = Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
  const r = { ...TRAFFIC_DEFAULTS, now: () => performance.now(), ...given } as ResolvedTrafficOptions;
  if (typeof r.enabled !== 'boolean') throw bad('enabled', r.enabled, 'a boolean');
  int('maxRoutes', r.maxRoutes, 1, 10_000);
  int('maxHosts', r.maxHosts, 1, 10_000);
  int('windowMs', r.windowMs, 1000, 3_600_000);
  for (const k of ['routeOf', 'ignore', 'ignoreOutbound', 'now'] as const) {
    if (r[k] !== undefined && typeof r[k] !== 'function') throw bad(k, r[k], 'a function');
  }
  return r;
}

function int(name: string, v: unknown, min: number, max: number): void {
  if (!(Number.isInteger(v) && (v as number) >= min && (v as number) <= max)) throw bad(name, v, `an integer from ${min} to ${max}`);
}

function bad(name: string, v: unknown, what: string): OptionError {
  return new OptionError(`Option traffic.${name} must be ${what}, got ${typeof v === 'function' ? 'a function' : JSON.stringify(v)}`);
}
