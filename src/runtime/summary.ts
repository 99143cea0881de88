import { type EventLoopUtilization, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { FleetSummary } from '../protocol/index.js';
import { loopDelayMs } from './load.js';
import { memoryLimit } from './system.js';

export interface SummaryOptions {
  /** Event-loop delay resolution, ms (as the load sampler's). Default: 100. */
  delayResolution?: number;
  /** The delay monitor stops when nobody asked for this long. Default: 30000 ms. */
  idleMs?: number;
  /** Reads closer together than this give the same rates (a second fan-out asking at once does not get an empty interval). Default: 500 ms. */
  minIntervalMs?: number;
}

interface Mark {
  wall: number;
  cpu: NodeJS.CpuUsage;
  elu: EventLoopUtilization;
}

/**
 * This process's line on the Fleet page: cheap figures read when asked. Rates
 * cover the time since the previous read; the event-loop delay monitor runs
 * only while someone asks (it stops `idleMs` after the last read), so a node
 * nobody looks at pays nothing. `requestsInFlight` is given by the caller
 * (the observer's request list).
 *
 * ```ts
 * const summary = new SelfSummary();
 * summary.read('web-1', 0).cpu; // null on the first read, then a fraction of a core
 * ```
 */
export class SelfSummary {
  readonly #resolution: number;
  readonly #idleMs: number;
  readonly #minIntervalMs: number;
  #delay: ReturnType<typeof monitorEventLoopDelay> | undefined;
  #idle: NodeJS.Timeout | undefined;
  #last: Mark | undefined;
  #rates: Pick<FleetSummary, 'cpu' | 'eventLoopUtilization' | 'delayP99Ms'> = { cpu: null, eventLoopUtilization: null, delayP99Ms: null };

  constructor(o: SummaryOptions = {}) {
    this.#resolution = o.delayResolution ?? 100;
    this.#idleMs = o.idleMs ?? 30_000;
    this.#minIntervalMs = o.minIntervalMs ?? 500;
  }

  read(node: string, requestsInFlight: number): FleetSummary {
    const now = performance.now();
    if (this.#last === undefined || now - this.#last.wall >= this.#minIntervalMs) this.#rates = this.#measure(now);
    this.#keepAlive();
    const mem = process.memoryUsage();
    const limit = memoryLimit();
    return {
      node,
      pid: process.pid,
      nodeVersion: process.version,
      uptimeSeconds: process.uptime(),
      ...this.#rates,
      rss: mem.rss,
      memoryLimit: limit.bytes,
      memorySource: limit.source,
      heapUsed: mem.heapUsed,
      heapSizeLimit: getHeapStatistics().heap_size_limit,
      requestsInFlight,
    };
  }

  /** Whether the event-loop delay monitor runs (from the first read until `idleMs` after the last). */
  get monitoring(): boolean {
    return this.#delay !== undefined;
  }

  /** Stops the delay monitor (shutdown). */
  close(): void {
    clearTimeout(this.#idle);
    this.#delay?.disable();
    this.#delay = undefined;
    this.#last = undefined;
  }

  #measure(now: number): Pick<FleetSummary, 'cpu' | 'eventLoopUtilization' | 'delayP99Ms'> {
    const last = this.#last;
    const mark: Mark = { wall: now, cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() };
    this.#last = mark;
    const d = this.#delay;
    let delayP99Ms: number | null = null;
    if (d === undefined) {
      this.#delay = monitorEventLoopDelay({ resolution: this.#resolution });
      this.#delay.enable();
    } else {
      if (d.count > 0) delayP99Ms = loopDelayMs(d.percentile(99), this.#resolution);
      d.reset();
    }
    if (last === undefined) return { cpu: null, eventLoopUtilization: null, delayP99Ms: null };
    const elapsedMs = Math.max(1, now - last.wall);
    const cpuMs = (mark.cpu.user - last.cpu.user + mark.cpu.system - last.cpu.system) / 1000;
    return { cpu: cpuMs / elapsedMs, eventLoopUtilization: performance.eventLoopUtilization(mark.elu, last.elu).utilization, delayP99Ms };
  }

  #keepAlive(): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.close(), this.#idleMs);
    this.#idle.unref();
  }
}
