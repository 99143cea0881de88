/** A run of points kept together, as the bytes of `count` newline-terminated lines. */
interface Segment {
  data: Buffer;
  count: number;
  /** When the points were first queued (the age bound counts from here). */
  at: number;
  /** The points were written to a connection once already (it died before confirming them): they may have arrived. */
  written: boolean;
}

/** Points written to a connection and kept for a resend until that connection has outlived them. */
interface Sent extends Segment {
  generation: number;
  writtenAt: number;
  /** The connection's byte count once it was written: acknowledged when the peer's acknowledgements pass it. */
  end: number;
}

/** What `take` hands out: one chunk of lines, to be written or put back. */
export interface Chunk {
  data: Buffer;
  count: number;
  queuedAt: number;
  written: boolean;
}

/**
 * Points waiting to be delivered, oldest first, and the points written but not
 * yet confirmed (the resend window), bounded together by count, and the queue
 * by age. Past the bounds the window gives up its oldest points first (they
 * were written, and most likely arrived), then the queue its oldest; each is
 * counted exactly, by what was known of it:
 *
 * - `dropped`: points never written to any connection: certainly lost;
 * - `droppedUnconfirmed`: points written to a connection that had not yet
 *   outlived them by the resend window: they may have arrived.
 *
 * Points are kept as the runs of lines they arrived in, one Buffer each,
 * outside the JavaScript heap: a large queue or window is a few objects for
 * the garbage collector, not millions of strings it must copy and mark.
 * `take` cuts any run into chunks of at most `maxBytes`, so that a re-queued
 * backlog goes out in chunks like everything else.
 */
export class Outbox {
  readonly maxPoints: number;
  readonly maxAgeMs: number;
  dropped = 0;
  droppedUnconfirmed = 0;
  #queue: Segment[] = [];
  #size = 0;
  #window: Sent[] = [];
  #windowSize = 0;

  constructor(maxPoints: number, maxAgeMs: number) {
    this.maxPoints = maxPoints;
    this.maxAgeMs = maxAgeMs;
  }

  /** Points waiting to be written. */
  get size(): number {
    return this.#size;
  }

  /** Points written and kept for a resend. */
  get unconfirmed(): number {
    return this.#windowSize;
  }

  /** Adds `count` newline-terminated lines at the back. */
  push(data: Buffer, count: number, now: number): void {
    if (count === 0) return;
    this.#queue.push({ data, count, at: now, written: false });
    this.#size += count;
    this.#bound(now);
  }

  /** Takes lines from the front, at most about `maxBytes` of them (one line at least), never mixing written and unwritten points. */
  take(maxBytes: number): Chunk | undefined {
    const first = this.#queue[0];
    if (first === undefined) return undefined;
    const parts: Buffer[] = [];
    let count = 0;
    let bytes = 0;
    let queuedAt = first.at;
    while (this.#queue.length > 0) {
      const seg = this.#queue[0]!;
      if (seg.written !== first.written) break;
      if (bytes + seg.data.length > maxBytes) {
        if (parts.length > 0) break;
        // One run larger than a chunk: cut it at a line end.
        let cut = seg.data.lastIndexOf(NL, maxBytes - 1);
        if (cut < 0) cut = seg.data.indexOf(NL);
        if (cut < seg.data.length - 1) {
          const head = seg.data.subarray(0, cut + 1);
          const n = countLines(head);
          seg.data = seg.data.subarray(cut + 1);
          seg.count -= n;
          parts.push(head);
          count += n;
          break;
        }
      }
      this.#queue.shift();
      parts.push(seg.data);
      bytes += seg.data.length;
      count += seg.count;
      queuedAt = Math.min(queuedAt, seg.at);
    }
    this.#size -= count;
    return { data: parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes || undefined), count, queuedAt, written: first.written };
  }

  /** Takes exactly the first run, as it was pushed (less what the bounds cut from its front). */
  shift(): Chunk | undefined {
    const seg = this.#queue.shift();
    if (seg === undefined) return undefined;
    this.#size -= seg.count;
    return { data: seg.data, count: seg.count, queuedAt: seg.at, written: seg.written };
  }

  /** Puts a chunk that was not written back at the front. */
  putBack(chunk: Chunk, now: number): void {
    if (chunk.count === 0) return;
    this.#queue.unshift({ data: chunk.data, count: chunk.count, at: chunk.queuedAt, written: chunk.written });
    this.#size += chunk.count;
    this.#bound(now);
  }

  /** A chunk was written on connection `generation`, ending at byte `end` of it: it is kept for a resend until `release` lets it go. */
  sent(chunk: Chunk, generation: number, now: number, end = 0): void {
    if (chunk.count === 0) return;
    this.#window.push({ data: chunk.data, count: chunk.count, at: chunk.queuedAt, written: true, generation, writtenAt: now, end });
    this.#windowSize += chunk.count;
    this.#bound(now);
  }

  /**
   * Lets go of the points written on `generation` at least `windowMs` before
   * `now` and, when known, acknowledged by the peer (`acked` bytes of the
   * connection): they are delivered. Returns how many.
   */
  release(generation: number, windowMs: number, now: number, acked = Infinity): number {
    let n = 0;
    while (this.#window.length > 0) {
      const s = this.#window[0]!;
      if (s.generation !== generation || now - s.writtenAt < windowMs || s.end > acked) break;
      this.#window.shift();
      n += s.count;
    }
    this.#windowSize -= n;
    return n;
  }

  /** The connection may have been stalled: every point kept for it starts its window again at `now`. */
  restartWindow(now: number): void {
    for (const s of this.#window) s.writtenAt = now;
  }

  /** Connection `generation` ended cleanly (the peer read everything): its points are delivered. */
  delivered(generation: number): number {
    return this.#remove(generation).reduce((n, s) => n + s.count, 0);
  }

  /** Connection `generation` died: what it holds goes back to the front of the queue, in order; returns how many points. */
  requeue(generation: number, now: number): number {
    const lost = this.#remove(generation);
    if (lost.length === 0) return 0;
    const count = lost.reduce((n, s) => n + s.count, 0);
    // Kept as the chunks they were written in: `take` hands them out one by one again.
    this.#queue.unshift(...lost.map((s) => ({ data: s.data, count: s.count, at: s.at, written: true })));
    this.#size += count;
    this.#bound(now);
    return count;
  }

  #remove(generation: number): Sent[] {
    const out = this.#window.filter((s) => s.generation === generation);
    if (out.length === 0) return out;
    this.#window = this.#window.filter((s) => s.generation !== generation);
    this.#windowSize -= out.reduce((n, s) => n + s.count, 0);
    return out;
  }

  #bound(now: number): void {
    let excess = this.#size + this.#windowSize - this.maxPoints;
    // The window first: its points were written and most likely arrived.
    while (excess > 0 && this.#window.length > 0) {
      const n = cutFront(this.#window, excess);
      this.#windowSize -= n;
      this.droppedUnconfirmed += n;
      excess -= n;
    }
    while (this.#queue.length > 0) {
      const seg = this.#queue[0]!;
      const old = now - seg.at > this.maxAgeMs;
      if (!old && excess <= 0) break;
      const n = cutFront(this.#queue, old ? seg.count : excess);
      this.#size -= n;
      if (seg.written) this.droppedUnconfirmed += n;
      else this.dropped += n;
      excess -= n;
    }
  }
}

/** Removes up to `n` lines from the front of the first segment; returns how many it removed. */
function cutFront(list: Segment[], n: number): number {
  const seg = list[0]!;
  const k = Math.min(seg.count, n);
  if (k === seg.count) list.shift();
  else {
    seg.data = seg.data.subarray(nthLineEnd(seg.data, k) + 1);
    seg.count -= k;
  }
  return k;
}

const NL = 0x0a;

/** Index of the n-th newline (1-based). */
function nthLineEnd(data: Buffer, n: number): number {
  let i = -1;
  for (let k = 0; k < n; k++) i = data.indexOf(NL, i + 1);
  return i;
}

function countLines(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(NL); i !== -1; i = data.indexOf(NL, i + 1)) n++;
  return n;
}
