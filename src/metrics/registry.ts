import { type CollectError, type CollectFailure, type Collector, CollectorRun } from './collect.js';
import { Counter } from './counter.js';
import { MetricsError, OptionError, show } from './errors.js';
import { Gauge, type GaugeOptions } from './gauge.js';
import { Histogram, type HistogramOptions } from './histogram.js';
import { TICK_SECONDS } from './ewma.js';
import { Meter } from './meter.js';
import type { AnyMetric, MetricContext, MetricOptions } from './metric.js';
import { RESERVED_EXPOSED_NAMES, exposedNames } from './names.js';
import { type PredefinedMetric, assertPredefined, predefinedCollector } from './predefined.js';
import { defaultNodeName, expandTemplate, nameSubstitutions } from './template.js';
import { Timer } from './timer.js';
import { type Generator, generatorCollector } from './generator.js';
import type { ClosedInterval, IntervalFamily, IntervalRecord, MetricType, RegistrySnapshot } from './types.js';
import { METRIC_TYPES } from './types.js';
import { type IntervalRecordFilter, recordsOf } from './records.js';
import type { RuntimeMetrics, RuntimeMetricsOptions } from './runtime/types.js';
import { yieldIfDue } from './yield.js';

export interface RegistryOptions {
  /** Interval length in milliseconds; intervals align to multiples of it since the epoch. Default: 10000. */
  period?: number;
  /** Closed intervals kept for `get()` and `closedIntervals()`; older ones are dropped. Push reporters take each interval as it closes (`onIntervalClosed`), so `keep` does not limit them. Default: 60. */
  keep?: number;
  /** Accumulate per interval at all. Default: true. */
  intervals?: boolean;
  /** Default cardinality limit of each metric. Default: 10000. */
  maxSeries?: number;
  /** This node's name, `%node%` in templates. Default: `<hostname>:<pid>` (the server sets `<host>:<port>`). */
  node?: string;
  /** User substitutions for name templates: `{ env: 'prod' }` turns `%env%` into `prod`, literally. */
  substitutions?: Readonly<Record<string, string>>;
  /** Milliseconds a collector (predefined metric, runtime metric) may take per run. Default: 1000. */
  collectTimeout?: number;
  /** Node.js runtime metrics (`process_*`, `nodejs_*`), started by `createRegistry` (not by `new Registry`). Default: on; `false` turns them off. */
  runtimeMetrics?: boolean | RuntimeMetricsOptions;
  /** Receives every collector failure. Default: one process warning per collector and reason. */
  onError?: (error: CollectError) => void;
  /** Wall clock in ms (for tests). Default: `Date.now`. */
  clock?: () => number;
}

type Factory<M> = (options: never, context: MetricContext) => M;

let attach: (registry: Registry, runtime: RuntimeMetrics) => void;

/** Gives `registry` the runtime metrics started for it: `registry.runtime` returns them and `close()` stops them. Not public. */
export function attachRuntimeMetrics(registry: Registry, runtime: RuntimeMetrics): void {
  attach(registry, runtime);
}

/**
 * One registry holds every metric. Prometheus reads its cumulative state
 * (`collect()`, `snapshot()`); interval reporters read what it accumulated per
 * interval (`closedIntervals()`, and the metronome-style `get()`/`delete()`).
 *
 * ```ts
 * const registry = createRegistry({ period: 10_000 });
 * const hits = registry.counter({ name: 'cache_hits_total', help: 'Cache hits' });
 * registry.updateCounter('app.jobs.done', 1);
 * ```
 */
export class Registry {
  readonly period: number;
  readonly keep: number;
  readonly intervalsEnabled: boolean;
  readonly node: string;
  readonly substitutions: Readonly<Record<string, string>>;
  #runtime: RuntimeMetrics | undefined;
  readonly #context: MetricContext;
  readonly #collectTimeout: number;
  readonly #clock: () => number;
  readonly #onError: (error: CollectError) => void;
  readonly #names: Record<string, string>;
  #metrics = new Map<string, AnyMetric>();
  #exposed = new Map<string, string>();
  #byRawName = new Map<string, AnyMetric>();
  #collectors = new Map<Collector, { run: CollectorRun; metrics: Set<AnyMetric> }>();
  #owned = new Set<AnyMetric>();
  #closed: ClosedInterval[] = [];
  #closeListeners = new Set<(interval: ClosedInterval) => void>();
  #seq = 0;
  #openStart: number;
  #closing: Promise<unknown> = Promise.resolve();
  #intervalTimer: NodeJS.Timeout | undefined;
  #meterTimer: NodeJS.Timeout | undefined;
  #lastTick: number;
  #warned = new Set<string>();
  #isClosed = false;

  constructor(options: RegistryOptions = {}) {
    const o = options ?? {};
    this.period = positiveInt(o.period ?? 10_000, 'period');
    this.keep = positiveInt(o.keep ?? 60, 'keep');
    this.#collectTimeout = positiveInt(o.collectTimeout ?? 1000, 'collectTimeout');
    this.intervalsEnabled = o.intervals !== false;
    this.node = o.node ?? defaultNodeName();
    if (typeof this.node !== 'string' || this.node === '') throw optionError('node', o.node, 'a non-empty string');
    this.substitutions = Object.freeze({ ...(o.substitutions ?? {}) });
    for (const [k, v] of Object.entries(this.substitutions)) {
      if (typeof v !== 'string') throw optionError(`substitutions.${k}`, v, 'a string');
    }
    this.#names = nameSubstitutions(this.node, this.substitutions);
    this.#clock = o.clock ?? Date.now;
    this.#onError = o.onError ?? ((e) => this.#warnOnce(e));
    this.#context = {
      intervals: this.intervalsEnabled,
      maxSeries: positiveInt(o.maxSeries ?? 10_000, 'maxSeries'),
      onOverflow: (metric) => this.#overflowCounter().inc({ metric }),
    };
    const now = this.#clock();
    this.#openStart = Math.floor(now / this.period) * this.period;
    this.#lastTick = now;
    if (this.intervalsEnabled) this.#scheduleClose();
  }

  /** The runtime metrics, when on. */
  get runtime(): RuntimeMetrics | undefined {
    return this.#runtime;
  }

  static {
    // The one way in for create-registry.ts, which starts the runtime metrics outside the registry.
    attach = (registry, runtime) => {
      if (registry.#runtime !== undefined) throw new Error('runtime metrics attached twice');
      registry.#runtime = runtime;
      if (registry.#isClosed) runtime.stop();
    };
  }

  counter(options: MetricOptions): Counter {
    return this.#register(options, 'counter', (o: MetricOptions, c) => new Counter(o, c));
  }

  gauge(options: GaugeOptions): Gauge {
    return this.#register(options, 'gauge', (o: GaugeOptions, c) => new Gauge(o, c));
  }

  meter(options: MetricOptions): Meter {
    const m = this.#register(options, 'meter', (o: MetricOptions, c) => new Meter(o, c));
    this.#startMeterTicks();
    return m;
  }

  histogram(options: HistogramOptions): Histogram {
    return this.#register(options, 'histogram', (o: HistogramOptions, c) => new Histogram(o, c));
  }

  timer(options: HistogramOptions): Timer {
    return this.#register(options, 'timer', (o: HistogramOptions, c) => new Timer(o, c));
  }

  /** The metric of that name (after template expansion), or undefined. */
  metric(name: string): AnyMetric | undefined {
    return this.#metrics.get(this.expandName(name));
  }

  /** Every metric, in registration order. */
  metrics(): AnyMetric[] {
    return [...this.#metrics.values()];
  }

  /** Removes a metric (and its collector, if predefined); returns whether it existed. */
  unregister(name: string): boolean {
    const m = this.metric(name);
    if (m === undefined) return false;
    this.#metrics.delete(m.name);
    for (const n of exposedNames(m.name, m.type)) this.#exposed.delete(n);
    for (const [raw, metric] of this.#byRawName) if (metric === m) this.#byRawName.delete(raw);
    for (const [c, entry] of this.#collectors) if (entry.metrics.has(m)) this.removeCollector(c);
    return true;
  }

  /** Expands `%node%`, `%host%`, `%pid%` and user substitutions in a metric name. */
  expandName(name: string): string {
    return typeof name === 'string' ? expandTemplate(name, this.#names) : name;
  }

  /** Defines a metric gathered by a user function once per interval and on every scrape. */
  predefine(def: PredefinedMetric): Counter | Gauge | Meter {
    assertPredefined(def);
    const options = { name: def.name, help: def.help ?? `Predefined ${def.type} ${def.name}` };
    const metric = def.type === 'gauge' ? this.gauge(options) : def.type === 'meter' ? this.meter(options) : this.counter(options);
    this.addCollector(predefinedCollector(def, metric), [metric]);
    return metric;
  }

  /**
   * Adds a generator: a function returning a list of `{ name, type, value,
   * labels?, help? }`, run before every scrape and when an interval closes,
   * isolated like any collector. Returns a function that removes it.
   */
  addGenerator(name: string, fn: Generator, options: { timeout?: number } = {}): () => void {
    return this.addCollector(generatorCollector(this, name, fn, options.timeout));
  }

  /**
   * Adds a collector, run before every scrape and when an interval closes; the
   * metrics it owns close only after it ran. Returns a function that removes it.
   */
  addCollector(collector: Collector, owns: readonly AnyMetric[] = []): () => void {
    const metrics = new Set(owns);
    this.#collectors.set(collector, { run: new CollectorRun(collector), metrics });
    for (const m of metrics) this.#owned.add(m);
    return () => this.removeCollector(collector);
  }

  removeCollector(collector: Collector): void {
    const entry = this.#collectors.get(collector);
    if (entry === undefined) return;
    this.#collectors.delete(collector);
    for (const m of entry.metrics) this.#owned.delete(m);
  }

  /** Runs every collector (isolated, with a timeout), then returns a snapshot, yielding to the event loop between families. */
  async collect(): Promise<RegistrySnapshot> {
    await this.#runCollectors();
    this.#tickMeters();
    const timestamp = this.#clock();
    const families = [];
    let slice = performance.now();
    for (const m of [...this.#metrics.values()]) {
      families.push(m.snapshot());
      slice = await yieldIfDue(slice);
    }
    return { timestamp, families };
  }

  /** A snapshot of the cumulative state now, without running collectors. */
  snapshot(): RegistrySnapshot {
    this.#tickMeters();
    return { timestamp: this.#clock(), families: [...this.#metrics.values()].map((m) => m.snapshot()) };
  }

  /**
   * Closes the open interval if `now` lies past its end: every metric's columns
   * are taken at once, a collector's metrics right after it ran. An interval
   * closes once; later updates go to the next. The timer calls this at each
   * boundary; tests and custom schedulers may call it themselves.
   */
  closeInterval(now: number = this.#clock()): Promise<ClosedInterval | null> {
    const next = this.#closing.then(() => this.#close(now));
    this.#closing = next.catch(() => undefined);
    return next;
  }

  /** Closed intervals, oldest first (at most `keep`); `after` skips those with `seq <= after`. */
  closedIntervals(after = 0): readonly ClosedInterval[] {
    return after <= 0 ? [...this.#closed] : this.#closed.filter((c) => c.seq > after);
  }

  /**
   * Calls `listener` with each interval as it closes, before `keep` can forget
   * it: a reporter that takes intervals this way never misses one, however
   * long its own sends take. Returns a function that removes the listener.
   * A listener that throws is isolated (reported to `onError`).
   */
  onIntervalClosed(listener: (interval: ClosedInterval) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Start of the interval now open (ms since the epoch). */
  get openIntervalStart(): number {
    return this.#openStart;
  }

  // ---- metronome-style API -------------------------------------------------

  /** Updates `name` by `value` as `type`, creating the metric on first use: counter adds, gauge sets, meter marks, histogram and timer observe. */
  update(name: string, value: number, type: MetricType): void {
    let m = this.#byRawName.get(name);
    if (m === undefined || m.type !== type) {
      m = this.#metronomeMetric(name, type);
      this.#byRawName.set(name, m);
    }
    switch (type) {
      case 'counter':
        (m as Counter).inc(value);
        return;
      case 'gauge':
        (m as Gauge).set(value);
        return;
      case 'meter':
        (m as Meter).mark(value);
        return;
      default:
        (m as Histogram).observe(value);
    }
  }

  updateCounter(name: string, value: number): void {
    this.update(name, value, 'counter');
  }

  updateMeter(name: string, value: number): void {
    this.update(name, value, 'meter');
  }

  updateGauge(name: string, value: number): void {
    this.update(name, value, 'gauge');
  }

  /** `get(name, type)`: that metric's records; `get(type)`: every record of the type. One per series and closed interval, oldest first. */
  get(nameOrType: string, type?: MetricType): IntervalRecord[] {
    return recordsOf(this.#closed, this.#filter(nameOrType, type));
  }

  /** `delete(name, type)` / `delete(type)`: removes those records; returns how many were removed. */
  delete(nameOrType: string, type?: MetricType): number {
    const f = this.#filter(nameOrType, type);
    let removed = 0;
    for (const c of this.#closed) {
      const keep: IntervalFamily[] = [];
      for (const fam of c.families) {
        if (fam.type === f.type && (f.name === undefined || fam.name === f.name)) removed += fam.size;
        else keep.push(fam);
      }
      c.families.splice(0, c.families.length, ...keep);
    }
    return removed;
  }

  /** Stops every timer and observer the registry and its runtime metrics started. Updates keep working. */
  close(): void {
    this.#isClosed = true;
    clearTimeout(this.#intervalTimer);
    clearInterval(this.#meterTimer);
    this.#runtime?.stop();
  }

  // ---- internals -----------------------------------------------------------

  #register<M extends AnyMetric>(options: MetricOptions, type: MetricType, make: Factory<M>): M {
    if (options === null || typeof options !== 'object') {
      throw new OptionError(`Metric options must be an object, got ${show(options)}`);
    }
    const name = this.expandName(options.name);
    const existing = this.#metrics.get(name);
    if (existing !== undefined) return this.#reuse(existing, { ...options, name }, type) as M;
    const metric = (make as (o: MetricOptions, c: MetricContext) => M)({ ...options, name }, this.#context);
    const names = exposedNames(metric.name, type);
    for (const n of names) {
      if (RESERVED_EXPOSED_NAMES.has(n)) {
        throw new MetricsError('METRIC_CONFLICT', `${name} (${type}) would expose "${n}", which wobserver's aggregation across nodes reserves for itself`);
      }
      const holder = this.#exposed.get(n);
      if (holder !== undefined) {
        throw new MetricsError('METRIC_CONFLICT', `${name} (${type}) would expose "${n}", which ${holder} already does`);
      }
    }
    for (const n of names) this.#exposed.set(n, name);
    this.#metrics.set(name, metric);
    return metric;
  }

  #reuse(existing: AnyMetric, options: MetricOptions & { buckets?: readonly number[] }, type: MetricType): AnyMetric {
    const labels = options.labelNames ?? [];
    const sameLabels = labels.length === existing.labelNames.length && labels.every((l, i) => l === existing.labelNames[i]);
    const buckets = (existing as Partial<Histogram>).buckets;
    const sameBuckets =
      options.buckets === undefined || buckets === undefined ||
      (options.buckets.length === buckets.length && options.buckets.every((b, i) => b === buckets[i]));
    if (existing.type !== type || !sameLabels || !sameBuckets) {
      throw new MetricsError(
        'METRIC_CONFLICT',
        `${existing.name} is already a ${existing.type}{${existing.labelNames.join(', ')}}; cannot register it as ${type}{${labels.join(', ')}}${sameBuckets ? '' : ' with other buckets'}`,
      );
    }
    return existing;
  }

  #metronomeMetric(name: string, type: MetricType): AnyMetric {
    switch (type) {
      case 'counter':
        return this.counter({ name });
      case 'gauge':
        return this.gauge({ name });
      case 'meter':
        return this.meter({ name });
      case 'histogram':
        return this.histogram({ name });
      case 'timer':
        return this.timer({ name });
      default:
        throw new MetricsError('UNKNOWN_TYPE', `Unknown metric type ${show(type)}; use ${METRIC_TYPES.join(', ')}`);
    }
  }

  #filter(nameOrType: string, type?: MetricType): IntervalRecordFilter {
    if (type === undefined) {
      if (!METRIC_TYPES.includes(nameOrType as MetricType)) {
        throw new MetricsError('UNKNOWN_TYPE', `Unknown metric type ${show(nameOrType)}; use ${METRIC_TYPES.join(', ')}`);
      }
      return { type: nameOrType as MetricType };
    }
    if (!METRIC_TYPES.includes(type)) {
      throw new MetricsError('UNKNOWN_TYPE', `Unknown metric type ${show(type)}; use ${METRIC_TYPES.join(', ')}`);
    }
    return { name: this.expandName(nameOrType), type };
  }

  async #close(now: number): Promise<ClosedInterval | null> {
    const boundary = Math.floor(now / this.period) * this.period;
    if (boundary <= this.#openStart) return null;
    const start = this.#openStart;
    this.#openStart = boundary;
    this.#tickMeters();
    const closed = new Map<AnyMetric, IntervalFamily>();
    for (const m of this.#metrics.values()) if (!this.#owned.has(m)) closed.set(m, m.closeInterval());
    await this.#runCollectors();
    const families: IntervalFamily[] = [];
    for (const m of this.#metrics.values()) families.push(closed.get(m) ?? m.closeInterval());
    const interval: ClosedInterval = { seq: ++this.#seq, start, end: boundary, families };
    this.#closed.push(interval);
    if (this.#closed.length > this.keep) this.#closed.splice(0, this.#closed.length - this.keep);
    for (const listener of [...this.#closeListeners]) {
      try {
        listener(interval);
      } catch (error) {
        this.#failed('interval-listener', 'throw', error);
      }
    }
    return interval;
  }

  #scheduleClose(): void {
    if (this.#isClosed) return;
    const delay = Math.max(0, this.#openStart + this.period - this.#clock());
    this.#intervalTimer = setTimeout(() => {
      void this.closeInterval().finally(() => this.#scheduleClose());
    }, delay);
    this.#intervalTimer.unref();
  }

  async #runCollectors(): Promise<void> {
    const runs = [];
    for (const [c, entry] of this.#collectors) {
      runs.push(entry.run.run(this.#collectTimeout, (reason, error) => this.#failed(c.name, reason, error)));
    }
    await Promise.all(runs);
  }

  #failed(collector: string, reason: CollectFailure, error?: unknown): void {
    this.counter({
      name: 'wobserver_collect_errors_total',
      help: 'Collector runs whose values were skipped, by collector and reason (throw, timeout, invalid)',
      labelNames: ['collector', 'reason'],
    }).inc({ collector, reason });
    try {
      this.#onError({ collector, reason, error });
    } catch {
      // An error handler that throws must not break collection either.
    }
  }

  #overflowCounter(): Counter {
    return this.counter({
      name: 'wobserver_series_overflow_total',
      help: 'New label sets redirected to the overflow series by the cardinality limit, by metric',
      labelNames: ['metric'],
    });
  }

  #warnOnce(e: CollectError): void {
    const key = `${e.collector}\0${e.reason}`;
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    const why = e.error instanceof Error ? `: ${e.error.message}` : '';
    process.emitWarning(`wobserver: collector ${e.collector} skipped (${e.reason})${why}`, { code: 'WOBSERVER_COLLECT' });
  }

  #startMeterTicks(): void {
    if (this.#meterTimer !== undefined || this.#isClosed) return;
    this.#meterTimer = setInterval(() => this.#tickMeters(), TICK_SECONDS * 1000);
    this.#meterTimer.unref();
  }

  #tickMeters(): void {
    const now = this.#clock();
    const ticks = Math.floor((now - this.#lastTick) / (TICK_SECONDS * 1000));
    if (ticks <= 0) return;
    this.#lastTick += ticks * TICK_SECONDS * 1000;
    for (const m of this.#metrics.values()) if (m.type === 'meter') (m as Meter).tick(ticks);
  }
}


function positiveInt(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw optionError(name, v, 'a positive integer');
  return v;
}

function optionError(name: string, value: unknown, allowed: string): OptionError {
  return new OptionError(`Option ${name} must be ${allowed}, got ${show(value)}`);
}
