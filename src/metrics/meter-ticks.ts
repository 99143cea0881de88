import { TICK_SECONDS } from './ewma.js';
import type { Meter } from './meter.js';
import type { AnyMetric } from './metric.js';

/**
 * The meters' rate clock: every TICK_SECONDS their moving averages decay. A
 * timer ticks them while the registry has meters, and every read catches up
 * first (a timer may run late), so a rate is never older than one tick.
 */
export class MeterTicks {
  readonly #clock: () => number;
  #lastTick: number;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  /** `now`: the clock's reading when the registry was created (the clock is read once there). */
  constructor(clock: () => number, now: number) {
    this.#clock = clock;
    this.#lastTick = now;
  }

  /** Starts the timer (once) that ticks `metrics()`; unref'd, so it never keeps the process alive. */
  start(metrics: () => Iterable<AnyMetric>): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setInterval(() => this.catchUp(metrics()), TICK_SECONDS * 1000);
    this.#timer.unref();
  }

  /** Ticks every meter of `metrics` once per whole tick since the last. */
  catchUp(metrics: Iterable<AnyMetric>): void {
    const now = this.#clock();
    const ticks = Math.floor((now - this.#lastTick) / (TICK_SECONDS * 1000));
    if (ticks <= 0) return;
    this.#lastTick += ticks * TICK_SECONDS * 1000;
    for (const m of metrics) if (m.type === 'meter') (m as Meter).tick(ticks);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }
}
