/**
 * The Graphite reporter's defaults, written once: the reporter applies them
 * and the configuration's option list (config/options.ts) quotes them.
 * `resendWindowMs` is at least two reporter periods besides.
 */
export const GRAPHITE_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 2003,
  labels: 'segments',
  maxQueuedPoints: 500_000,
  maxQueuedAgeMs: 3_600_000,
  connectTimeoutMs: 5000,
  sendTimeoutMs: 10_000,
  resendWindowMs: 30_000,
  stallMs: 1000,
  retryMinMs: 1000,
  retryMaxMs: 60_000,
} as const);
