import type { ClosedInterval } from './types.js';

/**
 * When intervals close: they align to multiples of `period` since the epoch,
 * one closes at a time (a close waits for the one before, so a slow collector
 * cannot interleave two), and an unref'd timer closes each at its boundary.
 */
export class IntervalClock {
  readonly #period: number;
  readonly #clock: () => number;
  #openStart: number;
  #closing: Promise<unknown> = Promise.resolve();
  readonly #setTimer: (fn: () => void, ms: number) => () => void;
  #cancel: (() => void) | undefined;
  #stopped = false;

  /** `now`: the clock's reading when the registry was created; `setTimer` starts a timer and returns its cancel (tests tick by hand). */
  constructor(period: number, clock: () => number, now: number, setTimer: (fn: () => void, ms: number) => () => void = unrefTimeout) {
    this.#period = period;
    this.#clock = clock;
    this.#setTimer = setTimer;
    this.#openStart = Math.floor(now / period) * period;
  }

  /** Start of the interval now open (ms since the epoch). */
  get openStart(): number {
    return this.#openStart;
  }

  /**
   * Closes the open interval if `now` lies past its end, after any close in
   * progress: the interval [start, end) becomes the next one's start, and
   * `take` gathers it. Resolves null when nothing was due.
   */
  close(now: number, take: (start: number, end: number) => Promise<ClosedInterval>): Promise<ClosedInterval | null> {
    const next = this.#closing.then(() => {
      const boundary = Math.floor(now / this.#period) * this.#period;
      if (boundary <= this.#openStart) return null;
      const start = this.#openStart;
      this.#openStart = boundary;
      return take(start, boundary);
    });
    this.#closing = next.catch(() => undefined);
    return next;
  }

  /** Calls `closeNow` at each boundary from now on, until `stop()`. */
  start(closeNow: () => Promise<unknown>): void {
    if (this.#stopped) return;
    const delay = Math.max(0, this.#openStart + this.#period - this.#clock());
    this.#cancel = this.#setTimer(() => {
      void closeNow().finally(() => this.start(closeNow));
    }, delay);
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
  }
}

/** An unref'd timeout: the registry's clock never keeps the process alive. */
function unrefTimeout(fn: () => void, ms: number): () => void {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
}
