import type { Counter, Histogram, Registry } from '../../metrics/index.js';

/** Buckets of `nodejs_eventloop_block_duration_seconds`, in seconds. */
export const BLOCK_DURATION_BUCKETS: readonly number[] = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60];

/** The watchdog's two metrics on one registry; `thread` is `main` or `worker` (bounded, whatever the number of workers). */
export interface BlockMetrics {
  observe(thread: 'main' | 'worker', durationMs: number): void;
  /** Unregisters both. */
  remove(): void;
}

/**
 * Registers `nodejs_eventloop_blocks_total` (counter) and
 * `nodejs_eventloop_block_duration_seconds` (histogram) on `registry`, so
 * they go to `/metrics` and to the interval reporters like any other metric.
 */
export function registerBlockMetrics(registry: Registry): BlockMetrics {
  const blocks: Counter = registry.counter({
    name: 'nodejs_eventloop_blocks_total',
    help: 'Times a thread did not turn its event loop for longer than the watchdog threshold.',
    labelNames: ['thread'],
  });
  let duration: Histogram;
  try {
    duration = registry.histogram({
      name: 'nodejs_eventloop_block_duration_seconds',
      help: 'How long each blocked event loop stayed blocked.',
      labelNames: ['thread'],
      buckets: BLOCK_DURATION_BUCKETS,
      unit: 'seconds',
    });
  } catch (err) {
    registry.unregister(blocks.name);
    throw err;
  }
  const series = {
    main: { blocks: blocks.labels({ thread: 'main' }), duration: duration.labels({ thread: 'main' }) },
    worker: { blocks: blocks.labels({ thread: 'worker' }), duration: duration.labels({ thread: 'worker' }) },
  };
  return {
    observe(thread, ms) {
      series[thread].blocks.inc();
      series[thread].duration.observe(ms / 1000);
    },
    remove() {
      registry.unregister(blocks.name);
      registry.unregister(duration.name);
    },
  };
}
