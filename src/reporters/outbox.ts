/**
 * Points waiting to be delivered, oldest first, bounded by count and by age:
 * past either bound the oldest are dropped and counted. A point leaves only
 * when its delivery is certain enough (the reporter decides); what failed goes
 * back to the front, in order, with its original timestamp.
 */
export class Outbox {
  readonly maxPoints: number;
  readonly maxAgeMs: number;
  /** Points dropped by the bounds, since start. */
  dropped = 0;
  #lines: string[] = [];
  #queuedAt: number[] = [];
  #head = 0;

  constructor(maxPoints: number, maxAgeMs: number) {
    this.maxPoints = maxPoints;
    this.maxAgeMs = maxAgeMs;
  }

  get size(): number {
    return this.#lines.length - this.#head;
  }

  /** Adds points at the back. */
  push(lines: readonly string[], now: number): void {
    for (const l of lines) {
      this.#lines.push(l);
      this.#queuedAt.push(now);
    }
    this.#bound(now);
  }

  /** Puts points back at the front, in their order (they were taken and not delivered). */
  unshift(lines: readonly string[], queuedAt: readonly number[], now: number): void {
    this.#compact();
    this.#lines = [...lines, ...this.#lines];
    this.#queuedAt = [...queuedAt, ...this.#queuedAt];
    this.#bound(now);
  }

  /** Takes up to `max` points (or `maxBytes` of text) from the front. */
  take(max: number, maxBytes = Infinity): { lines: string[]; queuedAt: number[]; bytes: number } {
    const lines: string[] = [];
    const queuedAt: number[] = [];
    let bytes = 0;
    while (this.#head < this.#lines.length && lines.length < max) {
      const l = this.#lines[this.#head]!;
      if (lines.length > 0 && bytes + l.length > maxBytes) break;
      lines.push(l);
      queuedAt.push(this.#queuedAt[this.#head]!);
      bytes += l.length;
      this.#head++;
    }
    if (this.#head > 65_536 && this.#head * 2 > this.#lines.length) this.#compact();
    return { lines, queuedAt, bytes };
  }

  #compact(): void {
    if (this.#head === 0) return;
    this.#lines = this.#lines.slice(this.#head);
    this.#queuedAt = this.#queuedAt.slice(this.#head);
    this.#head = 0;
  }

  #bound(now: number): void {
    let drop = Math.max(0, this.size - this.maxPoints);
    while (this.#head + drop < this.#lines.length && now - this.#queuedAt[this.#head + drop]! > this.maxAgeMs) drop++;
    if (drop === 0) return;
    this.#head += drop;
    this.dropped += drop;
    this.#compact();
  }
}
