// Yielding to the event loop during long work (a snapshot of many families, a
// scrape's text, an interval turned into Graphite lines). It sits in the metrics
// core because the core may import nothing else of the project; the layers
// above import it from here.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Resolves on a later turn of the event loop, after its I/O.
 *
 * A timer, not setImmediate: a continuation resumed in the poll phase that
 * yields with setImmediate runs again in the same loop turn's check phase, so
 * two slices of work would make one block and the I/O waiting in between
 * would still wait.
 */
export function nextTurn(): Promise<void> {
  return sleep(0);
}

/**
 * Yields to the event loop when the slice of work that began at `sliceStart`
 * (a `performance.now()`) has run `sliceMs` (default 5 ms); returns the start
 * of the current slice: `sliceStart` itself when no yield was due.
 *
 * @example
 * let slice = performance.now();
 * for (const item of items) { work(item); slice = await yieldIfDue(slice); }
 */
export async function yieldIfDue(sliceStart: number, sliceMs = 5): Promise<number> {
  if (performance.now() - sliceStart < sliceMs) return sliceStart;
  await nextTurn();
  return performance.now();
}
