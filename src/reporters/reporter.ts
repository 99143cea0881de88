import type { Registry } from '../metrics/index.js';
import { ConfigError } from '../errors.js';

/** What every push reporter (Graphite, StatsD, a user's own) offers. */
export interface PushReporter {
  /** Starts the flush timer. */
  start(): void;
  /** Flushes now: takes the intervals that closed and sends what is waiting. */
  flush(): Promise<void>;
  /** Stops the timer and sends what it can within `deadlineMs`. */
  stop(deadlineMs?: number): Promise<void>;
  health(): ReporterHealth;
}

export interface ReporterHealth {
  state: 'stopped' | 'connecting' | 'connected' | 'disconnected';
  sent: number;
  resent: number;
  dropped: number;
  /** Points not yet delivered: waiting to be written, plus (for a reporter with a resend window) written and not yet confirmed. */
  queued: number;
  reconnects: number;
  /** ms since the epoch of the last flush that sent everything queued, or 0. */
  lastSuccessfulFlush: number;
  /** How long the last flush took, in ms. */
  lastFlushMs: number;
}

/**
 * Why a reporter's configuration value was refused: names the variable, the
 * value and what is allowed. The same class as `ConfigError` (one class for
 * the code `INVALID_CONFIG`), kept under this name for existing imports.
 */
export const ReporterConfigError = ConfigError;
export type ReporterConfigError = ConfigError;

/**
 * Refuses, at construction, a registry that cannot feed a push reporter of
 * period `periodSeconds`: intervals turned off, or a period that is not a
 * whole multiple of the registry's (its flushes would not meet the boundaries).
 */
export function assertFeeds(registry: Registry, periodSeconds: number): void {
  if (!registry.intervalsEnabled) throw new ConfigError('the registry was created with intervals: false; a push reporter needs closed intervals');
  if ((periodSeconds * 1000) % registry.period !== 0) {
    throw new ConfigError(`the reporter's period (${periodSeconds} s) must be a whole multiple of the registry's period (${registry.period / 1000} s)`);
  }
}

/** Logs a reporter's line once per change of what it has to say. */
export function onceLogger(prefix: string, log: (message: string) => void): (message: string) => void {
  let last = '';
  return (message) => {
    if (message === last) return;
    last = message;
    try {
      log(`${prefix}: ${message}`);
    } catch {
      // A broken logger must not break the reporter.
    }
  };
}

/** ms until the next period boundary plus `graceMs`: flushes aim at the boundaries and do not drift. */
export function untilNextFlush(now: number, periodMs: number, graceMs: number): number {
  const next = Math.floor(now / periodMs) * periodMs + periodMs + graceMs;
  const due = next - periodMs > now ? next - periodMs : next;
  return Math.max(1, due - now);
}


/** The reporter's own health as metrics in the registry, labelled by its target. */
export function healthMetrics(registry: Registry, kind: string, target: string) {
  const l = { target };
  const labelNames = ['target'];
  const c = (name: string, help: string) => registry.counter({ name: `wobserver_${kind}_${name}`, help, labelNames }).labels(l);
  const g = (name: string, help: string) => registry.gauge({ name: `wobserver_${kind}_${name}`, help, labelNames }).labels(l);
  return {
    sent: c('points_sent_total', 'Points written to the socket (a resent point counts again)'),
    resent: c('points_resent_total', 'Points queued again because their connection died within the resend window'),
    dropped: c('points_dropped_total', 'Points dropped by the outbox bounds (count or age) before they were ever written: certainly lost'),
    queued: g('points_queued', 'Points not yet delivered: waiting to be written, or written and not yet confirmed'),
    connected: g('connected', '1 while connected'),
    reconnects: c('reconnects_total', 'Connections opened after the first'),
    lastFlush: g('last_successful_flush_timestamp_seconds', 'When a flush last sent everything queued'),
    flushSeconds: g('flush_duration_seconds', 'How long the last flush took'),
  };
}
