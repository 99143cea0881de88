import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { type RuntimeContext, type RuntimePart, collectorPart } from './part.js';

const STATS = [
  ['min', 'The minimum recorded event loop delay.'],
  ['max', 'The maximum recorded event loop delay.'],
  ['mean', 'The mean of the recorded event loop delays.'],
  ['stddev', 'The standard deviation of the recorded event loop delays.'],
  ['p50', 'The 50th percentile of the recorded event loop delays.'],
  ['p90', 'The 90th percentile of the recorded event loop delays.'],
  ['p99', 'The 99th percentile of the recorded event loop delays.'],
] as const;

type Stats = Record<(typeof STATS)[number][0], number>;

/**
 * nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds from
 * perf_hooks.monitorEventLoopDelay (its resolution taken off), over the last complete window (before the
 * first window ends: since start). A read never resets the histogram, so two
 * scrapers see the same values; the window timer does. And
 * nodejs_eventloop_lag_seconds: how long a setImmediate took at collect time.
 */
export function eventLoopDelay(ctx: RuntimeContext): RuntimePart {
  const r = ctx.registry;
  const lag = r.gauge({ name: `${ctx.prefix}nodejs_eventloop_lag_seconds`, help: 'Lag of event loop in seconds.', unit: 'seconds' });
  const gauges = STATS.map(([stat, help]) =>
    r.gauge({ name: `${ctx.prefix}nodejs_eventloop_lag_${stat}_seconds`, help, unit: 'seconds' }),
  );
  const histogram = monitorEventLoopDelay({ resolution: ctx.eventLoopDelayResolution });
  histogram.enable();
  const res = ctx.eventLoopDelayResolution;
  let last: Stats | undefined;
  const offWindow = ctx.window.onEnd(() => {
    last = read(histogram, res);
    histogram.reset();
  });
  return collectorPart(
    ctx,
    'event-loop-delay',
    [lag, ...gauges],
    async () => {
      const stats = last ?? read(histogram, res);
      STATS.forEach(([stat], i) => gauges[i]!.set(stats[stat]));
      const start = performance.now();
      await new Promise<void>((resolve) => setImmediate(resolve));
      lag.set((performance.now() - start) / 1000);
    },
    () => {
      offWindow();
      histogram.disable();
    },
  );
}

/**
 * The histogram records the time between two of its timer's runs, which is
 * the resolution plus the delay: the resolution is taken off, so an idle loop
 * reads near 0 (prom-client reports the raw values, about 10 ms when idle).
 */
function read(h: ReturnType<typeof monitorEventLoopDelay>, resolutionMs: number): Stats {
  // An empty histogram reports min as 2^63; say zero instead.
  if (h.count === 0) return { min: 0, max: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0 };
  const delay = (ns: number): number => Math.max(0, ns / 1e9 - resolutionMs / 1000);
  return {
    min: delay(h.min),
    max: delay(h.max),
    mean: delay(h.mean),
    stddev: h.stddev / 1e9,
    p50: delay(h.percentile(50)),
    p90: delay(h.percentile(90)),
    p99: delay(h.percentile(99)),
  };
}
