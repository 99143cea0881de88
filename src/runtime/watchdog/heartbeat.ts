import { url as inspectorUrl } from 'node:inspector';
import { performance } from 'node:perf_hooks';

/**
 * The main thread's heartbeat: an unref'd timer writes, each period, when the
 * loop turned and how late that turn was into a SharedArrayBuffer the watchdog
 * thread reads (`Float64Array(5)`: [0] ms since the epoch, [1] ms late, [2] 1
 * once the inspector is open, e.g. by SIGUSR1: then no more pauses; [3] the
 * largest lateness since the watchdog cleared it and [4] when that turn was,
 * so the end of a block is exact however late the watchdog looks). How
 * late is the larger of the timer's lateness and the loop's active time since
 * the last turn (event-loop utilization), so a block that began just after a
 * turn is not shortened by the period.
 */
export class Heartbeat {
  readonly buffer = new SharedArrayBuffer(40);
  readonly periodMs: number;
  readonly #beats = new Float64Array(this.buffer);
  #timer: NodeJS.Timeout | undefined;

  /** `periodMs`: how often the timer turns (the watchdog uses threshold / 2). */
  constructor(periodMs: number) {
    this.periodMs = periodMs;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    let prev = performance.timeOrigin + performance.now();
    let active = performance.eventLoopUtilization().active;
    this.#beats[0] = prev;
    this.#timer = setInterval(() => {
      const at = performance.timeOrigin + performance.now();
      const elu = performance.eventLoopUtilization().active;
      const late = Math.max(0, at - prev - this.periodMs, elu - active);
      this.#beats[1] = late;
      if (late >= this.#beats[3]!) {
        this.#beats[3] = late;
        this.#beats[4] = at;
      }
      if (this.#beats[2] === 0 && inspectorUrl() !== undefined) this.#beats[2] = 1;
      this.#beats[0] = at;
      prev = at;
      active = elu;
    }, this.periodMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
