import { readFileSync, readdirSync } from 'node:fs';
import type { Gauge } from '../gauge.js';
import { type RuntimeContext, type RuntimePart, collectorPart } from './part.js';

/** process_open_fds and process_max_fds, on Linux (from /proc/self); nothing elsewhere. */
export function fds(ctx: RuntimeContext): RuntimePart {
  if (process.platform !== 'linux' || countOpen() === undefined) return { metrics: [], stop() {} };
  const open = ctx.registry.gauge({ name: `${ctx.prefix}process_open_fds`, help: 'Number of open file descriptors.' });
  const metrics: Gauge[] = [open];
  const limit = maxFds();
  if (limit !== undefined) {
    const max = ctx.registry.gauge({ name: `${ctx.prefix}process_max_fds`, help: 'Maximum number of open file descriptors.' });
    max.set(limit);
    metrics.push(max);
  }
  return collectorPart(ctx, 'fds', metrics, () => {
    const n = countOpen();
    if (n !== undefined) open.set(n);
  });
}

function countOpen(): number | undefined {
  try {
    // readdir itself holds one descriptor open on the directory while it reads.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}

function maxFds(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}
