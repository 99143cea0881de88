import { performance } from 'node:perf_hooks';
import { Histogram, type HistogramOptions, HistogramSeries } from './histogram.js';
import type { MetricContext } from './metric.js';
import type { LabelValue, Labels } from './types.js';

/** Ends a timing: records and returns the elapsed seconds. `labels` are merged into the start's. */
export type StopTimer = (labels?: Labels) => number;

/**
 * A timer is a histogram of durations in seconds, measured on the monotonic
 * clock (`performance.now()`), never on the wall clock.
 *
 * ```ts
 * const latency = registry.timer({ name: 'db_query_duration_seconds', help: 'Query time', labelNames: ['table'] });
 * const rows = await latency.time(() => db.query(sql), { table: 'users' });
 * const stop = latency.startTimer({ table: 'users' }); ...; stop();
 * ```
 */
export class Timer extends Histogram {
  override readonly type = 'timer' as const;

  constructor(options: HistogramOptions, context: MetricContext) {
    super(
      options.unit === undefined && typeof options.name === 'string' && /_seconds(_total)?$/.test(options.name)
        ? { ...options, unit: 'seconds' }
        : options,
      context,
    );
  }

  /** Starts timing; the returned function records the elapsed seconds. */
  startTimer(labels?: Labels): StopTimer {
    const start = performance.now();
    return (more?: Labels) => {
      const seconds = (performance.now() - start) / 1000;
      const all = more === undefined ? labels : { ...labels, ...more };
      if (all === undefined) this.observe(seconds);
      else this.observe(all, seconds);
      return seconds;
    };
  }

  /**
   * Runs `fn` and records how long it took, also when it throws; for a
   * promise, until it settles. Returns what `fn` returns.
   */
  time<T>(fn: () => T, labels?: Labels): T {
    const stop = this.startTimer(labels);
    let result: T;
    try {
      result = fn();
    } catch (err) {
      stop();
      throw err;
    }
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      const settle = (): void => void stop();
      (result as unknown as PromiseLike<unknown>).then(settle, settle);
    } else {
      stop();
    }
    return result;
  }

  override labels(...values: [Labels] | LabelValue[]): TimerSeries {
    return super.labels(...values) as TimerSeries;
  }

  protected override newSeries(slot: number, labels: Readonly<Record<string, string>>): TimerSeries {
    return new TimerSeries(this, slot, labels);
  }
}

/** One series of a timer, bound to its slot. */
export class TimerSeries extends HistogramSeries {
  startTimer(): () => number {
    const start = performance.now();
    return () => {
      const seconds = (performance.now() - start) / 1000;
      this.observe(seconds);
      return seconds;
    };
  }
}
