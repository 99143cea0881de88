import { OptionError } from '../../metrics/errors.js';

/**
 * The blocked event-loop watchdog ([docs/diagnostics.md](../../../docs/diagnostics.md#blocked-event-loop)).
 *
 * ```ts
 * createObserver({ eventLoop: { thresholdMs: 100, capturesPerMinute: 4 } });
 * ```
 */
export interface EventLoopOptions {
  /** Run the watchdog thread. Default: true. */
  enabled?: boolean;
  /** A loop that has not turned for longer than this is blocked, in ms (integer >= 10). Default: 200. */
  thresholdMs?: number;
  /** Capture the blocked thread's JavaScript stack (through the inspector); false counts durations only. Default: true. */
  stacks?: boolean;
  /** Blocks kept in the ring of latest events (1–10000). Default: 100. */
  events?: number;
  /** Stacks captured in any minute at most; blocks past it are counted with their duration only (0–100000). Default: 10. */
  capturesPerMinute?: number;
  /** Watch worker threads too (through the inspector's NodeWorker domain). Default: true. */
  workers?: boolean;
}

/** Every option with its default. */
export type ResolvedEventLoopOptions = Required<EventLoopOptions>;

/** The defaults, declared once (docs and config list these). */
export const EVENT_LOOP_DEFAULTS: Readonly<ResolvedEventLoopOptions> = Object.freeze({
  enabled: true,
  thresholdMs: 200,
  stacks: true,
  events: 100,
  capturesPerMinute: 10,
  workers: true,
});

/** Frames kept per stack (innermost first). */
export const MAX_FRAMES = 64;
/** Stack groups kept (the least recently seen goes first). */
export const MAX_GROUPS = 100;
/** Frames that make a stack's signature. */
export const SIGNATURE_FRAMES = 8;

/** Fills in the defaults; a bad value throws an OptionError naming it. */
export function resolveEventLoopOptions(o: EventLoopOptions = {}): ResolvedEventLoopOptions {
  const r = { ...EVENT_LOOP_DEFAULTS, ...Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) } as ResolvedEventLoopOptions;
  for (const k of ['enabled', 'stacks', 'workers'] as const) if (typeof r[k] !== 'boolean') throw bad(k, r[k], 'a boolean');
  int('thresholdMs', r.thresholdMs, 10, 3_600_000);
  int('events', r.events, 1, 10_000);
  int('capturesPerMinute', r.capturesPerMinute, 0, 100_000);
  return r;
}

function int(name: string, v: unknown, min: number, max: number): void {
  if (!(Number.isInteger(v) && (v as number) >= min && (v as number) <= max)) throw bad(name, v, `an integer from ${min} to ${max}`);
}

function bad(name: string, v: unknown, what: string): OptionError {
  return new OptionError(`Option eventLoop.${name} must be ${what}, got ${JSON.stringify(v)}`);
}
