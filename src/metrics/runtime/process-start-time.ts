import type { RuntimeContext, RuntimePart } from './part.js';

/** process_start_time_seconds: when the process started, in seconds since the epoch. */
export function processStartTime(ctx: RuntimeContext): RuntimePart {
  const g = ctx.registry.gauge({
    name: `${ctx.prefix}process_start_time_seconds`,
    help: 'Start time of the process since unix epoch in seconds.',
  });
  g.set(Math.round(Date.now() - process.uptime() * 1000) / 1000);
  return { metrics: [g], stop() {} };
}
