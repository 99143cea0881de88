import type { CarbonConnection } from './connection.js';

export interface AckWatchEvents {
  /** Bytes stayed unacknowledged for `stallMs`: carbon stopped reading (or the path black-holes). */
  stalled(unacked: number, forMs: number): void;
  /** Carbon acknowledges again after a stall of `forMs`. */
  resumed(forMs: number, now: number): void;
  /** Nothing acknowledged for `deadMs`: the connection is to be given up. */
  dead(forMs: number): void;
}

/**
 * Watches, while one connection lives, what the peer's kernel acknowledged of
 * the bytes ours took (`CarbonConnection.unacked()`, from `/proc/net/tcp` on
 * Linux): bytes that stay unacknowledged mean carbon's receive window closed —
 * it stopped reading — or the path black-holes. It reads `/proc` only while
 * written bytes wait for acknowledgement, at most every 500 ms, and gives up
 * where the socket is not listed (not Linux, another network namespace).
 */
export class AckWatch {
  readonly #conn: CarbonConnection;
  readonly #stallMs: number;
  readonly #deadMs: number;
  readonly #on: AckWatchEvents;
  #generation = 0;
  /** Bytes of the connection the peer acknowledged, as last sampled. */
  #acked = 0;
  #known = false;
  #progressAt = 0;
  #stalledSince = 0;
  #misses = 0;
  #sampling = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(conn: CarbonConnection, stallMs: number, deadMs: number, on: AckWatchEvents) {
    this.#conn = conn;
    this.#stallMs = stallMs;
    this.#deadMs = deadMs;
    this.#on = on;
  }

  /** While stalled, nothing may leave the resend window. */
  get stalled(): boolean {
    return this.#stalledSince !== 0;
  }

  /** Bytes of connection `generation` known to be acknowledged; Infinity when unknown (then time alone decides). */
  acked(generation: number): number {
    return this.#known && generation === this.#generation ? this.#acked : Infinity;
  }

  /** Starts watching the connection now open. */
  start(): void {
    this.stop();
    this.#generation = this.#conn.generation;
    this.#acked = 0;
    this.#known = false;
    this.#progressAt = Date.now();
    this.#stalledSince = 0;
    this.#misses = 0;
    const generation = this.#generation;
    this.#timer = setInterval(() => void this.#sample(generation), Math.max(20, Math.min(500, this.#stallMs / 2)));
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #sample(generation: number): Promise<void> {
    const conn = this.#conn;
    if (!conn.up || conn.generation !== generation) return this.stop();
    if (this.#sampling) return;
    if (this.#known && this.#acked >= conn.accepted) {
      // Everything written was acknowledged: nothing to watch until the next write.
      this.#progressAt = Date.now();
      return;
    }
    this.#sampling = true;
    try {
      const unacked = await conn.unacked();
      if (unacked === undefined) {
        if (++this.#misses >= 3) this.stop();
        return;
      }
      if (conn.generation !== generation || !conn.up) return;
      const now = Date.now();
      const acked = conn.accepted - unacked;
      this.#known = true;
      if (unacked === 0 || acked > this.#acked) {
        if (this.#stalledSince !== 0) this.#on.resumed(now - this.#stalledSince, now);
        this.#acked = acked;
        this.#progressAt = now;
        this.#stalledSince = 0;
        return;
      }
      const waited = now - this.#progressAt;
      if (this.#stalledSince === 0 && waited >= this.#stallMs) {
        this.#stalledSince = this.#progressAt;
        this.#on.stalled(unacked, waited);
      }
      if (this.#stalledSince !== 0 && waited >= this.#deadMs) this.#on.dead(waited);
    } finally {
      this.#sampling = false;
    }
  }
}
