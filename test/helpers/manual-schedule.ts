/**
 * A repeating timer a test fires by hand, for code that takes a
 * `schedule(tick, ms)` returning its cancel function (the default being an
 * unref'd `setInterval`): nothing runs until `tick()`, and the test can see
 * how many timers are running and at which period.
 */
export class ManualSchedule {
  readonly #ticks = new Set<() => void>();
  /** Timers started so far. */
  started = 0;
  /** The period the last one was started with. */
  lastMs: number | undefined;

  readonly schedule = (tick: () => void, ms: number): (() => void) => {
    const own = (): void => tick();
    this.#ticks.add(own);
    this.started++;
    this.lastMs = ms;
    return () => void this.#ticks.delete(own);
  };

  /** Timers running now. */
  get active(): number {
    return this.#ticks.size;
  }

  /** Fires every running timer `n` times; `between` runs before each round. */
  tick(n = 1, between: () => void = () => undefined): void {
    for (let i = 0; i < n; i++) {
      between();
      for (const t of [...this.#ticks]) t();
    }
  }
}
