import type { TrafficPoint, TrafficWindow } from '../../client/index.js';

/** A history as chart columns: one row per window from the first point to the last, windows without requests as 0 requests and no percentiles (a gap). */
export interface TrafficColumns {
  timestamps: number[];
  rps: number[];
  errorsPerSecond: number[];
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
}

/** Windows spanned at most (bounds a history whose starts are far apart). */
const MAX_ROWS = 1000;

/**
 * `open`, the window still open (its counts so far), is the last row when given, plotted
 * at the node's now (its start plus the time elapsed): the charts reach the present, and a
 * history of one closed window is already a line.
 */
export function trafficColumns(points: readonly TrafficPoint[], windowMs: number, open?: TrafficWindow): TrafficColumns {
  const out: TrafficColumns = { timestamps: [], rps: [], errorsPerSecond: [], p50: [], p95: [], p99: [] };
  if (points.length === 0 || !(windowMs > 0)) return out;
  const perSecond = 1000 / windowMs;
  const first = points[0]!.start;
  const last = points[points.length - 1]!.start;
  let t = Math.max(first, last - (MAX_ROWS - 1) * windowMs);
  let i = 0;
  while (i < points.length && points[i]!.start < t) i++;
  for (; t <= last; t += windowMs) {
    const p = points[i]?.start === t ? points[i++] : undefined;
    // A point is plotted at its window's end: the moment it describes up to.
    out.timestamps.push(t + windowMs);
    out.rps.push(p === undefined ? 0 : p.count * perSecond);
    out.errorsPerSecond.push(p === undefined ? 0 : p.errors * perSecond);
    out.p50.push(p?.p50Ms ?? null);
    out.p95.push(p?.p95Ms ?? null);
    out.p99.push(p?.p99Ms ?? null);
  }
  const w = open;
  if (w !== undefined && w.start > last && w.ms > 0) {
    out.timestamps.push(w.start + w.ms);
    out.rps.push(w.rps);
    out.errorsPerSecond.push((w.errors * 1000) / w.ms);
    out.p50.push(w.p50Ms);
    out.p95.push(w.p95Ms);
    out.p99.push(w.p99Ms);
  }
  return out;
}

/** A route's key in the URL and the table: its method and route. */
export const routeArg = (method: string, route: string): string => `${method} ${route}`;

/** The method and route an argument names; undefined for one that is not `<METHOD> <route>`. */
export function parseRouteArg(arg: string | undefined): { method: string; route: string } | undefined {
  if (arg === undefined) return undefined;
  const i = arg.indexOf(' ');
  if (i <= 0 || i === arg.length - 1) return undefined;
  return { method: arg.slice(0, i), route: arg.slice(i + 1) };
}

/** Status codes as `code: count` pairs, most first. */
export function codeList(codes: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(codes).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
