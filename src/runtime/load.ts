import { PerformanceObserver, constants, monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { SocketTracker } from './sockets.js';
import type { LoadColumns, LoadSample, LoadSeriesName } from '../protocol/index.js';
export type { LoadColumns, LoadSample, LoadSeriesName } from '../protocol/index.js';
import { OptionError } from '../metrics/errors.js';

/** The series of the Load page, in the order of `LoadColumns.series`. */
export const LOAD_SERIES = [
  'cpuUserPercent',
  'cpuSystemPercent',
  'eventLoopUtilization',
  'delayP50Ms',
  'delayP99Ms',
  'delayMaxMs',
  'rss',
  'heapUsed',
  'heapTotal',
  'external',
  'gcCount',
  'gcPauseMs',
  'gcMajorMs',
  'gcMinorMs',
  'gcIncrementalMs',
  'gcWeakcbMs',
  'activeResources',
  'bytesReadPerSec',
  'bytesWrittenPerSec',
] as const satisfies readonly LoadSeriesName[];

// Every series of the contract is sampled: a name added there and not here does not compile.
const everySeries: Exclude<LoadSeriesName, (typeof LOAD_SERIES)[number]> extends never ? true : never = true;
void everySeries;

export interface LoadOptions {
  /** Sampling period in ms. Default: 1000. */
  interval?: number;
  /** Samples kept. Default: 300 (five minutes at 1 s). */
  capacity?: number;
  /**
   * How often the event-loop delay is measured, in ms. Each measurement wakes
   * the loop: at 10 ms that alone cost 0.9 % of a core here, at 100 ms 0.2 %.
   * Default: 100 (10 measurements per 1 s sample).
   */
  delayResolution?: number;
  /**
   * Runs `tick` every `ms` and returns the function that stops it; a test
   * passes its own to take samples when it says. Default: an unref'd `setInterval`.
   */
  schedule?: (tick: () => void, ms: number) => () => void;
}

function everyInterval(tick: () => void, ms: number): () => void {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}

const GC_KIND: Record<number, 'gcMajorMs' | 'gcMinorMs' | 'gcIncrementalMs' | 'gcWeakcbMs'> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'gcMajorMs',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'gcMinorMs',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'gcIncrementalMs',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'gcWeakcbMs',
};

/**
 * The Load page's sampler. It samples only while at least one subscriber
 * listens, at a fixed rate, into a bounded ring; every subscriber gets the same
 * sample. When the last one leaves, its timer, delay monitor and GC observer
 * stop; the samples already taken stay readable.
 */
export class LoadSampler {
  readonly interval: number;
  readonly capacity: number;
  readonly delayResolution: number;
  readonly #sockets: SocketTracker | undefined;
  readonly #ring: Float64Array[];
  readonly #times: Float64Array;
  #head = 0;
  #count = 0;
  #listeners = new Set<(s: LoadSample) => void>();
  readonly #schedule: (tick: () => void, ms: number) => () => void;
  #cancel: (() => void) | undefined;
  #delay: ReturnType<typeof monitorEventLoopDelay> | undefined;
  #gcObserver: PerformanceObserver | undefined;
  #gc = { count: 0, gcMajorMs: 0, gcMinorMs: 0, gcIncrementalMs: 0, gcWeakcbMs: 0 };
  #busyMs = 0;
  #runningMs = 0;
  #runningSince = 0;
  #last: { wall: number; cpu: NodeJS.CpuUsage; elu: EventLoopUtilization; bytes: { read: number; written: number } } | undefined;

  constructor(options: LoadOptions = {}, sockets?: SocketTracker) {
    this.interval = options.interval ?? 1000;
    this.capacity = options.capacity ?? 300;
    this.delayResolution = options.delayResolution ?? 100;
    if (!Number.isInteger(this.delayResolution) || this.delayResolution < 1) throw new OptionError(`delayResolution must be an integer >= 1 ms, got ${this.delayResolution}`);
    if (!Number.isInteger(this.interval) || this.interval < 10) throw new OptionError(`load interval must be an integer >= 10 ms, got ${this.interval}`);
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new OptionError(`load capacity must be a positive integer, got ${this.capacity}`);
    this.#schedule = options.schedule ?? everyInterval;
    this.#sockets = sockets;
    this.#ring = LOAD_SERIES.map(() => new Float64Array(this.capacity));
    this.#times = new Float64Array(this.capacity);
  }

  /** Whether it is sampling now. */
  get running(): boolean {
    return this.#cancel !== undefined;
  }

  get subscribers(): number {
    return this.#listeners.size;
  }

  /** Starts sampling if this is the first subscriber; returns the function that unsubscribes. */
  subscribe(listener: (sample: LoadSample) => void = () => undefined): () => void {
    const own = (s: LoadSample): void => listener(s);
    this.#listeners.add(own);
    if (this.#listeners.size === 1) this.#start();
    return () => {
      if (this.#listeners.delete(own) && this.#listeners.size === 0) this.#stop();
    };
  }

  /** What sampling has cost this process: time spent taking samples over time spent sampling. */
  cost(): { busyMs: number; runningMs: number; percentOfCore: number } {
    const runningMs = this.#runningMs + (this.running ? performance.now() - this.#runningSince : 0);
    return { busyMs: this.#busyMs, runningMs, percentOfCore: runningMs > 0 ? (this.#busyMs / runningMs) * 100 : 0 };
  }

  /** The samples kept, oldest first, as columns; with `since`, only those taken after that time (ms since the epoch). */
  columns(since?: number): LoadColumns {
    const timestamps: number[] = [];
    const series = Object.fromEntries(LOAD_SERIES.map((k) => [k, [] as number[]])) as Record<LoadSeriesName, number[]>;
    const start = (this.#head - this.#count + this.capacity) % this.capacity;
    for (let k = 0; k < this.#count; k++) {
      const i = (start + k) % this.capacity;
      if (since !== undefined && this.#times[i]! <= since) continue;
      timestamps.push(this.#times[i]!);
      LOAD_SERIES.forEach((name, j) => series[name].push(this.#ring[j]![i]!));
    }
    return { interval: this.interval, timestamps, series };
  }

  /** Stops sampling whatever the subscribers (shutdown). */
  close(): void {
    this.#listeners.clear();
    this.#stop();
  }

  #start(): void {
    this.#delay = monitorEventLoopDelay({ resolution: this.delayResolution });
    this.#delay.enable();
    this.#gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = GC_KIND[(e as { detail?: { kind?: number } }).detail?.kind ?? -1];
        this.#gc.count++;
        if (kind !== undefined) this.#gc[kind] += e.duration;
      }
    });
    this.#gcObserver.observe({ entryTypes: ['gc'] });
    this.#last = { wall: performance.now(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), bytes: this.#sockets?.totals() ?? { read: 0, written: 0 } };
    this.#runningSince = performance.now();
    this.#cancel = this.#schedule(() => {
      const t = performance.now();
      this.#sample();
      this.#busyMs += performance.now() - t;
    }, this.interval);
  }

  #stop(): void {
    if (this.#cancel !== undefined) this.#runningMs += performance.now() - this.#runningSince;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#delay?.disable();
    this.#delay = undefined;
    this.#gcObserver?.disconnect();
    this.#gcObserver = undefined;
  }

  #sample(): void {
    try {
      const last = this.#last!;
      const wall = performance.now();
      const elapsedMs = Math.max(1, wall - last.wall);
      const cpu = process.cpuUsage(last.cpu);
      const elu = performance.eventLoopUtilization();
      const bytes = this.#sockets?.totals() ?? { read: 0, written: 0 };
      const mem = process.memoryUsage();
      const d = this.#delay!;
      const has = d.count > 0;
      const gc = this.#gc;
      const sample: LoadSample = {
        timestamp: Date.now(),
        cpuUserPercent: (cpu.user / 1000 / elapsedMs) * 100,
        cpuSystemPercent: (cpu.system / 1000 / elapsedMs) * 100,
        eventLoopUtilization: performance.eventLoopUtilization(elu, last.elu).utilization,
        delayP50Ms: has ? loopDelayMs(d.percentile(50), this.delayResolution) : 0,
        delayP99Ms: has ? loopDelayMs(d.percentile(99), this.delayResolution) : 0,
        delayMaxMs: has ? loopDelayMs(d.max, this.delayResolution) : 0,
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        heapTotal: mem.heapTotal,
        external: mem.external,
        gcCount: gc.count,
        gcPauseMs: gc.gcMajorMs + gc.gcMinorMs + gc.gcIncrementalMs + gc.gcWeakcbMs,
        gcMajorMs: gc.gcMajorMs,
        gcMinorMs: gc.gcMinorMs,
        gcIncrementalMs: gc.gcIncrementalMs,
        gcWeakcbMs: gc.gcWeakcbMs,
        activeResources: process.getActiveResourcesInfo().length,
        bytesReadPerSec: ((bytes.read - last.bytes.read) / elapsedMs) * 1000,
        bytesWrittenPerSec: ((bytes.written - last.bytes.written) / elapsedMs) * 1000,
      };
      d.reset();
      this.#gc = { count: 0, gcMajorMs: 0, gcMinorMs: 0, gcIncrementalMs: 0, gcWeakcbMs: 0 };
      this.#last = { wall, cpu: process.cpuUsage(), elu, bytes };
      this.#push(sample);
      for (const l of this.#listeners) {
        try {
          l(sample);
        } catch {
          // A subscriber's failure is its own; the others still get the sample.
        }
      }
    } catch {
      // Sampling never throws into the host.
    }
  }

  #push(s: LoadSample): void {
    const i = this.#head;
    this.#times[i] = s.timestamp;
    LOAD_SERIES.forEach((name, j) => (this.#ring[j]![i] = s[name]));
    this.#head = (i + 1) % this.capacity;
    this.#count = Math.min(this.capacity, this.#count + 1);
  }
}

/**
 * A reading of `monitorEventLoopDelay`'s histogram (ns) as the event loop's delay
 * in ms: the histogram holds its resolution plus the delay, so the resolution is
 * taken off (an idle loop reads near 0).
 */
export function loopDelayMs(ns: number, resolutionMs: number): number {
  return Math.max(0, ns / 1e6 - resolutionMs);
}
