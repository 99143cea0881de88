// Back-off with jitter for reconnecting: the Graphite reporter to carbon, the
// client to its server. No Node imports: the client runs in browsers too.

/**
 * The `retries`-th delay (counted from 0), in ms: `min` doubling after each
 * failure up to `max`, scaled into [50 %, 100 %] by `random` in [0, 1) so that
 * many peers that failed together do not all come back at once.
 *
 * @example
 * setTimeout(reconnect, backoff(failures++, 1000, 60_000, Math.random()));
 */
export function backoff(retries: number, min: number, max: number, random: number): number {
  // The exponent is capped so that many failures neither overflow nor give NaN (0 × Infinity).
  const base = Math.min(max, min * 2 ** Math.min(retries, 30));
  return base * (0.5 + random / 2);
}
