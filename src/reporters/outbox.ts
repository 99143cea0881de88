/** A run of points queued together, as one text of `count` lines; they share the time they were queued. */
interface Segment {
  text: string;
  count: number;
  at: number;
}

/**
 * Points waiting to be delivered, oldest first, bounded by count and by age:
 * past either bound the oldest are dropped and counted, exactly. A point
 * leaves only when its delivery is certain enough (the reporter decides); what
 * failed goes back to the front, in order, with its original timestamp.
 * Points are kept as the runs of lines they arrived in (one string each), so
 * that a large queue is a few objects for the garbage collector, not millions.
 */
export class Outbox {
  readonly maxPoints: number;
  readonly maxAgeMs: number;
  /** Points dropped by the bounds, since start. */
  dropped = 0;
  #segments: Segment[] = [];
  #size = 0;

  constructor(maxPoints: number, maxAgeMs: number) {
    this.maxPoints = maxPoints;
    this.maxAgeMs = maxAgeMs;
  }

  get size(): number {
    return this.#size;
  }

  /** Adds `count` newline-terminated lines at the back. */
  push(text: string, count: number, now: number): void {
    if (count === 0) return;
    this.#segments.push({ text, count, at: now });
    this.#size += count;
    this.#bound(now);
  }

  /** Puts lines back at the front (they were taken and not delivered), with the time they were first queued. */
  unshift(text: string, count: number, queuedAt: number, now: number): void {
    if (count === 0) return;
    this.#segments.unshift({ text, count, at: queuedAt });
    this.#size += count;
    this.#bound(now);
  }

  /** Takes whole runs from the front until about `maxBytes` (at least one run); `queuedAt` is the oldest one's. */
  take(maxBytes: number): { text: string; count: number; queuedAt: number } {
    const parts: string[] = [];
    let count = 0;
    let bytes = 0;
    let queuedAt = Infinity;
    while (this.#segments.length > 0 && (parts.length === 0 || bytes + this.#segments[0]!.text.length <= maxBytes)) {
      const seg = this.#segments.shift()!;
      parts.push(seg.text);
      bytes += seg.text.length;
      count += seg.count;
      queuedAt = Math.min(queuedAt, seg.at);
    }
    this.#size -= count;
    return { text: parts.join(''), count, queuedAt: queuedAt === Infinity ? 0 : queuedAt };
  }

  #bound(now: number): void {
    let excess = this.#size - this.maxPoints;
    while (this.#segments.length > 0) {
      const seg = this.#segments[0]!;
      const old = now - seg.at > this.maxAgeMs;
      if (!old && excess <= 0) break;
      const n = old ? seg.count : Math.min(seg.count, excess);
      if (n === seg.count) this.#segments.shift();
      else seg.text = seg.text.slice(nthLineEnd(seg.text, n) + 1);
      seg.count -= n;
      this.#size -= n;
      this.dropped += n;
      excess -= n;
    }
  }
}

/** Index of the n-th newline (1-based). */
function nthLineEnd(text: string, n: number): number {
  let i = -1;
  for (let k = 0; k < n; k++) i = text.indexOf('\n', i + 1);
  return i;
}
