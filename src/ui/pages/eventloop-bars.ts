import type { BlockEvent } from '../../client/index.js';
import { durationOf } from './eventloop-words.js';

/** One bar drawn: its block, the block's place in the ring, how long it lasted (so far), where it is. */
export interface Bar {
  e: BlockEvent;
  i: number;
  d: number;
  x: number;
  w: number;
}

/** Pixels per column of the timeline in which only one bar per thread is drawn. */
const COLUMN_PX = 2;

/**
 * The bars to draw: in each 2-px column, per thread, the longest block only (a
 * ring of 10,000 blocks is then at most a few hundred bars, not 10,000 SVG
 * elements redrawn every push); a block still going on, and the one read
 * (`active`), always.
 */
export function barsOf(events: readonly BlockEvent[], now: number, x: (t: number) => number, active: number | undefined): Bar[] {
  const kept = new Map<string, Bar>();
  const out: Bar[] = [];
  events.forEach((e, i) => {
    const d = durationOf(e, now);
    const a = x(e.startedAt);
    const bar = { e, i, d, x: a, w: Math.max(3, x(e.startedAt + d) - a) };
    if (e.durationMs === null || i === active) {
      out.push(bar);
      return;
    }
    const key = `${e.thread.id}:${Math.round(a / COLUMN_PX)}`;
    const had = kept.get(key);
    if (had === undefined || d > had.d) kept.set(key, bar);
  });
  // The kept ones first, so that the ongoing and the active block are drawn over them.
  return [...kept.values(), ...out];
}
