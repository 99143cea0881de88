import { OptionError, show } from '../errors.js';
import type { RuntimeMetrics, RuntimeMetricsOptions } from './types.js';
import type { Registry } from '../registry.js';
import { eventLoopDelay } from './event-loop-delay.js';
import { eventLoopUtilization } from './eventloop-utilization.js';
import { fds } from './fds.js';
import { gc } from './gc.js';
import { heapSpaces } from './heap-spaces.js';
import { memory } from './memory.js';
import { type RuntimeContext, type RuntimePart, RuntimeWindow } from './part.js';
import { processCpu } from './process-cpu.js';
import { processStartTime } from './process-start-time.js';
import { resources } from './resources.js';
import { version } from './version.js';

export type { RuntimeMetrics, RuntimeMetricsOptions } from './types.js';

/**
 * The collectors, one file each. prom-client's names are kept so existing
 * dashboards keep working; its `nodejs_active_handles_total`,
 * `nodejs_active_requests_total` and `nodejs_active_resources_total` gauges are
 * left out (a gauge must not end in `_total`): `sum(nodejs_active_handles)`
 * gives the same number.
 */
const PARTS: readonly ((ctx: RuntimeContext) => RuntimePart)[] = [
  processCpu,
  processStartTime,
  memory,
  fds,
  heapSpaces,
  eventLoopDelay,
  eventLoopUtilization,
  gc,
  resources,
  version,
];

/** Starts the Node.js runtime metrics on a registry (the registry does it by default). */
export function startRuntimeMetrics(registry: Registry, options: RuntimeMetricsOptions = {}): RuntimeMetrics {
  const o = options ?? {};
  const prefix = o.prefix ?? '';
  if (typeof prefix !== 'string') throw optionError('prefix', prefix, 'a string');
  const resolution = o.eventLoopDelayResolution ?? 50;
  if (!Number.isInteger(resolution) || resolution < 1) throw optionError('eventLoopDelayResolution', resolution, 'an integer >= 1 (ms)');
  const windowMs = o.window ?? 10_000;
  if (!Number.isInteger(windowMs) || windowMs < 100) throw optionError('window', windowMs, 'an integer >= 100 (ms)');
  const window = new RuntimeWindow(windowMs);
  const ctx: RuntimeContext = {
    registry,
    prefix,
    window,
    eventLoopDelayResolution: resolution,
    gcDurationBuckets: o.gcDurationBuckets,
  };
  const parts: RuntimePart[] = [];
  try {
    for (const start of PARTS) parts.push(start(ctx));
  } catch (err) {
    for (const p of parts) p.stop();
    window.stop();
    throw err;
  }
  let stopped = false;
  return {
    metrics: parts.flatMap((p) => p.metrics),
    stop() {
      if (stopped) return;
      stopped = true;
      for (const p of parts) p.stop();
      window.stop();
    },
  };
}

function optionError(name: string, value: unknown, allowed: string): OptionError {
  return new OptionError(`Option runtimeMetrics.${name} must be ${allowed}, got ${show(value)}`);
}
