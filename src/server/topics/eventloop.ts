import { defineTopic } from './define.js';

/** The Event loop page: blocks of every watched thread with their stacks (runtime/watchdog). */
export const eventloop = defineTopic({
  name: 'eventloop',
  read: () => ({
    enabled: false,
    thresholdMs: 200,
    capture: 'durations',
    why: 'not built yet',
    threads: [],
    events: [],
    groups: [],
    totals: { blocks: 0, blockedMs: 0, captured: 0, uncaptured: 0, dropped: 0 },
    limits: { events: 0, capturesPerMinute: 0, groups: 0, frames: 0 },
  }),
});
