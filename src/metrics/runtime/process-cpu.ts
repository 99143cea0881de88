import { type RuntimeContext, type RuntimePart, collectorPart } from './part.js';

/** process_cpu_user_seconds_total, process_cpu_system_seconds_total, process_cpu_seconds_total. */
export function processCpu(ctx: RuntimeContext): RuntimePart {
  const r = ctx.registry;
  const user = r.counter({ name: `${ctx.prefix}process_cpu_user_seconds_total`, help: 'Total user CPU time spent in seconds.' });
  const system = r.counter({ name: `${ctx.prefix}process_cpu_system_seconds_total`, help: 'Total system CPU time spent in seconds.' });
  const total = r.counter({ name: `${ctx.prefix}process_cpu_seconds_total`, help: 'Total user and system CPU time spent in seconds.' });
  let last = { user: 0, system: 0 };
  return collectorPart(ctx, 'process-cpu', [user, system, total], () => {
    const now = process.cpuUsage();
    const du = Math.max(0, now.user - last.user) / 1e6;
    const ds = Math.max(0, now.system - last.system) / 1e6;
    last = now;
    user.inc(du);
    system.inc(ds);
    total.inc(du + ds);
  });
}
