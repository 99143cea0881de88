import { createRegistry, type Registry, type RegistryOptions } from '../../src/metrics/index.js';

/** Start of the manual clock: 2001-09-09T01:48:00Z. */
export const T0 = 1_000_000_080_000;

/** A registry on a clock the test moves, without runtime metrics or timers that fire on their own. */
export function manualRegistry(options: RegistryOptions = {}): { registry: Registry; clock: { now: number } } {
  // A multiple of every period the tests use (up to 2 minutes).
  const clock = { now: T0 };
  const registry = createRegistry({ runtimeMetrics: false, clock: () => clock.now, ...options });
  return { registry, clock };
}

/** Runs `fn` and returns the `code` of what it threw (or fails if it did not throw). */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code ?? `no code: ${String(err)}`;
  }
  throw new Error('expected an error, none was thrown');
}
