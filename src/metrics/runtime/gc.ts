import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import type { RuntimeContext, RuntimePart } from './part.js';

/** prom-client's buckets, in seconds. */
export const GC_DURATION_BUCKETS: readonly number[] = [0.001, 0.01, 0.1, 1, 2, 5];

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** nodejs_gc_duration_seconds{kind}: every garbage collection's pause, observed as it happens. */
export function gc(ctx: RuntimeContext): RuntimePart {
  const h = ctx.registry.histogram({
    name: `${ctx.prefix}nodejs_gc_duration_seconds`,
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: ['kind'],
    buckets: ctx.gcDurationBuckets ?? GC_DURATION_BUCKETS,
    unit: 'seconds',
  });
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
      const kind = KINDS[detail?.kind ?? -1] ?? 'unknown';
      h.observe({ kind }, entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    metrics: [h],
    stop() {
      observer.disconnect();
    },
  };
}
