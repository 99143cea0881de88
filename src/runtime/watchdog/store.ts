import type { BlockEvent, EventLoopInfo, StackGroup, ThreadRef } from '../../protocol/index.js';
import { MAX_GROUPS } from './options.js';

/**
 * The blocks seen so far, bounded: a ring of the latest events, at most
 * {@link MAX_GROUPS} groups by signature (the least recently seen is dropped
 * first), and totals that count every block, kept or not.
 */
export class BlockStore {
  readonly capacity: number;
  #ring: BlockEvent[] = [];
  #groups = new Map<string, StackGroup>();
  #nextId = 1;
  readonly totals: EventLoopInfo['totals'] = { blocks: 0, blockedMs: 0, captured: 0, uncaptured: 0, dropped: 0 };

  /** `capacity`: events kept (the `events` option). */
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Records a finished block; returns the event as kept (with its id). */
  add(e: Omit<BlockEvent, 'id'>): BlockEvent {
    const event: BlockEvent = { id: this.#nextId++, ...e };
    const t = this.totals;
    t.blocks++;
    t.blockedMs += e.durationMs ?? 0;
    if (e.stack !== null) t.captured++;
    else t.uncaptured++;
    this.#ring.push(event);
    if (this.#ring.length > this.capacity) {
      this.#ring.shift();
      t.dropped++;
    }
    if (e.stack !== null && e.signature !== null) this.#group(e.signature, e.stack, e.thread, e.durationMs ?? 0, e.startedAt);
    return event;
  }

  /** The ring, oldest first (copies). */
  events(): BlockEvent[] {
    return this.#ring.slice();
  }

  /** The groups, the most total blocked time first. */
  groups(): StackGroup[] {
    return [...this.#groups.values()].map((g) => ({ ...g })).sort((a, b) => b.totalMs - a.totalMs);
  }

  #group(signature: string, stack: BlockEvent['stack'] & object, thread: ThreadRef, ms: number, at: number): void {
    const g = this.#groups.get(signature);
    if (g !== undefined) {
      // Re-inserted: the map's order is the least recently seen first.
      this.#groups.delete(signature);
      this.#groups.set(signature, { ...g, stack, thread, count: g.count + 1, totalMs: g.totalMs + ms, maxMs: Math.max(g.maxMs, ms), lastAt: at });
      return;
    }
    if (this.#groups.size >= MAX_GROUPS) this.#groups.delete(this.#groups.keys().next().value as string);
    this.#groups.set(signature, { signature, stack, thread, count: 1, totalMs: ms, maxMs: ms, lastAt: at });
  }
}
