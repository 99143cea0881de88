/** Seconds between two ticks of the exponentially weighted moving averages, as in Coda Hale's metrics. */
export const TICK_SECONDS = 5;

/** Smoothing constants of the 1, 5 and 15 minute rates: 1 - e^(-5s / window). */
export const ALPHA_1 = 1 - Math.exp(-TICK_SECONDS / 60);
export const ALPHA_5 = 1 - Math.exp(-TICK_SECONDS / 60 / 5);
export const ALPHA_15 = 1 - Math.exp(-TICK_SECONDS / 60 / 15);

/**
 * Advances one rate column by `ticks` ticks for the rows whose count since the
 * last tick is in `counts`: the first tick sees the count, the rest see none
 * (the timer was late). A row's first tick sets its rate instead of decaying it.
 */
export function tickRates(
  rates: Float64Array,
  started: Uint8Array,
  counts: Float64Array,
  n: number,
  ticks: number,
  alpha: number,
): void {
  for (let i = 0; i < n; i++) {
    let instant = counts[i]! / TICK_SECONDS;
    let rate = rates[i]!;
    let running = started[i] !== 0;
    for (let t = 0; t < ticks; t++) {
      if (running) rate += alpha * (instant - rate);
      else rate = instant;
      running = true;
      instant = 0;
    }
    rates[i] = rate;
  }
}
