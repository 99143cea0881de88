/** `/block` without `ms`: 300 ms, over the watchdog's default threshold of 200 ms. */
export const DEFAULT_BLOCK_MS = 300;
/** `/block` holds the loop at most this long, so that a typo cannot freeze the demo for minutes. */
export const MAX_BLOCK_MS = 5000;

/**
 * Holds the calling thread's event loop for `ms` by spinning on the clock: the
 * demo's deliberate block, which the Event loop page shows with this
 * function's name, file and line. Returns how often it read the clock, so
 * that the work is not optimised away.
 *
 * @example blockTheEventLoop(300) // the loop does not turn for 300 ms
 */
export function blockTheEventLoop(ms: number): number {
  // Date.now() is a V8 builtin with no JavaScript frame of its own (performance.now() has one,
  // in node:internal), so a stack taken while it spins has this function on top.
  const until = Date.now() + ms;
  let spins = 0;
  while (Date.now() < until) spins++;
  return spins;
}

/**
 * The `ms` of a `/block?ms=` query: a whole number from 1 to `MAX_BLOCK_MS`,
 * `DEFAULT_BLOCK_MS` when absent; a `RangeError` naming the bad value otherwise.
 */
export function blockMs(value: string | null): number | RangeError {
  if (value === null || value === '') return DEFAULT_BLOCK_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BLOCK_MS) return new RangeError(`ms must be a whole number from 1 to ${MAX_BLOCK_MS}, got ${JSON.stringify(value)}`);
  return n;
}
