// The blocked event-loop watchdog: a thread that notices a stuck loop and takes its stack.
export { EventLoopWatchdog } from './watchdog.js';
export type { WatchdogStats } from './watchdog.js';
export { EVENT_LOOP_DEFAULTS, resolveEventLoopOptions } from './options.js';
export type { EventLoopOptions, ResolvedEventLoopOptions } from './options.js';
export { BLOCK_DURATION_BUCKETS } from './metrics.js';
