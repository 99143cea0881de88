import type { ClosedInterval, IntervalFamily } from './types.js';

/**
 * The closed intervals: the last `keep` for readers that come later, and each
 * one handed to every listener as it closes, before `keep` can forget it.
 */
export class IntervalStore {
  readonly #keep: number;
  readonly #closed: ClosedInterval[] = [];
  readonly #listeners = new Set<(interval: ClosedInterval) => void>();
  #seq = 0;

  constructor(keep: number) {
    this.#keep = keep;
  }

  /** Stores the interval [start, end) and tells the listeners; one that throws is reported to `failed` and the others still hear. */
  add(start: number, end: number, families: IntervalFamily[], failed: (error: unknown) => void): ClosedInterval {
    const interval: ClosedInterval = { seq: ++this.#seq, start, end, families };
    this.#closed.push(interval);
    if (this.#closed.length > this.#keep) this.#closed.splice(0, this.#closed.length - this.#keep);
    for (const listener of [...this.#listeners]) {
      try {
        listener(interval);
      } catch (error) {
        failed(error);
      }
    }
    return interval;
  }

  /** The kept intervals, oldest first; `after` skips those with `seq <= after`. */
  list(after = 0): ClosedInterval[] {
    return after <= 0 ? [...this.#closed] : this.#closed.filter((c) => c.seq > after);
  }

  /** The kept intervals themselves (for reading and deleting records in place). */
  get kept(): readonly ClosedInterval[] {
    return this.#closed;
  }

  listen(listener: (interval: ClosedInterval) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
