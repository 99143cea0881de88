import { Sketch } from '../../metrics/sketch.js';
import type { TrafficPoint, TrafficWindow } from '../../protocol/traffic.js';

/** Closed windows a history keeps (10 minutes at the default 10 s window). */
export const TRAFFIC_HISTORY = 60;

/**
 * The live numbers of one route or host: the window open now and a summary of
 * the last one closed. Windows align to multiples of their length since the
 * epoch (as the registry's intervals do), and turn over lazily, on the next
 * request or read after their end: nothing runs between requests. Memory is
 * bounded: one sketch (durations within 1%, see `metrics/sketch.ts`) and the
 * status codes seen in the open window, and the last {@link TRAFFIC_HISTORY}
 * closed windows that saw requests as points for the charts.
 */
export class RollingWindow {
  readonly #ms: number;
  #start: number;
  #count = 0;
  #errors = 0;
  #bytes = 0;
  readonly #durations = new Sketch();
  #codes = new Map<number, number>();
  #last: TrafficWindow | null = null;
  /** Closed windows that saw requests, a ring: `#head` is the oldest once full. */
  readonly #history: TrafficPoint[] = [];
  #head = 0;

  /** `ms`: length of a window; `t`: now, ms since the epoch. */
  constructor(ms: number, t: number) {
    this.#ms = ms;
    this.#start = t - (t % ms);
  }

  /** Counts one request that ended at `t`: its duration in ms (NaN for a failure without a response), status code (0: none) and bytes. */
  add(t: number, durationMs: number, code: number, error: boolean, bytes: number): void {
    if (t >= this.#start + this.#ms) this.roll(t);
    this.#count++;
    if (error) this.#errors++;
    this.#bytes += bytes;
    if (!Number.isNaN(durationMs)) this.#durations.add(durationMs);
    if (code !== 0) this.#codes.set(code, (this.#codes.get(code) ?? 0) + 1);
  }

  /** Closes the open window if `t` lies past its end; the last one becomes its summary (an empty one if windows passed without requests). */
  roll(t: number): void {
    const end = this.#start + this.#ms;
    if (t < end) return;
    const aligned = t - (t % this.#ms);
    const closed = this.#count > 0 ? this.#summary(this.#ms) : null;
    if (closed !== null) this.#remember(closed);
    this.#last = aligned === end ? (closed ?? emptyWindow(this.#start, this.#ms)) : emptyWindow(aligned - this.#ms, this.#ms);
    this.#start = aligned;
    this.#count = this.#errors = this.#bytes = 0;
    this.#durations.clear();
    if (this.#codes.size > 0) this.#codes = new Map();
  }

  /** The window open at `t` (closing the previous one first if it ended). */
  current(t: number): TrafficWindow {
    this.roll(t);
    return this.#summary(Math.max(0, t - this.#start));
  }

  /** The last closed window as of `t`, or null before one closed. */
  last(t: number): TrafficWindow | null {
    this.roll(t);
    return this.#last;
  }

  /** The closed windows that saw requests as of `t`, oldest first. */
  history(t: number): TrafficPoint[] {
    this.roll(t);
    const h = this.#history;
    return h.length < TRAFFIC_HISTORY ? h.slice() : [...h.slice(this.#head), ...h.slice(0, this.#head)];
  }

  #remember(w: TrafficWindow): void {
    const p: TrafficPoint = { start: w.start, count: w.count, errors: w.errors, p50Ms: w.p50Ms, p95Ms: w.p95Ms, p99Ms: w.p99Ms };
    if (this.#history.length < TRAFFIC_HISTORY) this.#history.push(p);
    else {
      this.#history[this.#head] = p;
      this.#head = (this.#head + 1) % TRAFFIC_HISTORY;
    }
  }

  #summary(ms: number): TrafficWindow {
    const d = this.#durations;
    const some = d.count > 0;
    return {
      start: this.#start,
      ms,
      count: this.#count,
      errors: this.#errors,
      rps: ms > 0 ? (this.#count * 1000) / ms : 0,
      bytes: this.#bytes,
      p50Ms: some ? d.quantile(0.5) : null,
      p95Ms: some ? d.quantile(0.95) : null,
      p99Ms: some ? d.quantile(0.99) : null,
      maxMs: some ? d.max : null,
      statusCodes: codesRecord(this.#codes),
    };
  }
}

/** A window that saw nothing. */
export function emptyWindow(start: number, ms: number): TrafficWindow {
  return { start, ms, count: 0, errors: 0, rps: 0, bytes: 0, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null, statusCodes: {} };
}

/** A status-code map as a JSON object, codes as keys. */
export function codesRecord(codes: ReadonlyMap<number | string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of codes) out[String(k)] = n;
  return out;
}
