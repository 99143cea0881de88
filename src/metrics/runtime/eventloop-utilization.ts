import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { type RuntimeContext, type RuntimePart, collectorPart } from './part.js';

/**
 * nodejs_eventloop_utilization_ratio: the share of time the event loop was
 * busy over the last complete window (since start before the first window
 * ends); and the cumulative nodejs_eventloop_active_seconds_total and
 * nodejs_eventloop_idle_seconds_total, from which PromQL computes it over any range.
 */
export function eventLoopUtilization(ctx: RuntimeContext): RuntimePart {
  const r = ctx.registry;
  const ratio = r.gauge({
    name: `${ctx.prefix}nodejs_eventloop_utilization_ratio`,
    help: 'Share of time the event loop was busy over the last measurement window (0 to 1).',
  });
  const active = r.counter({
    name: `${ctx.prefix}nodejs_eventloop_active_seconds_total`,
    help: 'Time the event loop spent busy, in seconds.',
    unit: 'seconds',
  });
  const idle = r.counter({
    name: `${ctx.prefix}nodejs_eventloop_idle_seconds_total`,
    help: 'Time the event loop spent idle, waiting for events, in seconds.',
    unit: 'seconds',
  });
  const start = performance.eventLoopUtilization();
  let windowStart: EventLoopUtilization = start;
  let last: number | undefined;
  const offWindow = ctx.window.onEnd(() => {
    const now = performance.eventLoopUtilization();
    last = performance.eventLoopUtilization(now, windowStart).utilization;
    windowStart = now;
  });
  let counted = { active: 0, idle: 0 };
  return collectorPart(
    ctx,
    'eventloop-utilization',
    [ratio, active, idle],
    () => {
      const now = performance.eventLoopUtilization();
      ratio.set(last ?? performance.eventLoopUtilization(now, start).utilization);
      active.inc(Math.max(0, now.active - counted.active) / 1000);
      idle.inc(Math.max(0, now.idle - counted.idle) / 1000);
      counted = { active: Math.max(now.active, counted.active), idle: Math.max(now.idle, counted.idle) };
    },
    offWindow,
  );
}
