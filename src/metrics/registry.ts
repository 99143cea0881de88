import { Catalog, type MetricFactory } from './catalog.js';
import type { CollectError, CollectFailure, Collector } from './collect.js';
import { CollectorSet } from './collector-set.js';
import { Counter } from './counter.js';
import { OptionError, show } from './errors.js';
import { Gauge, type GaugeOptions } from './gauge.js';
import { Histogram, type HistogramOptions } from './histogram.js';
import { IntervalClock } from './interval-clock.js';
import { IntervalStore } from './interval-store.js';
import { Meter } from './meter.js';
import { MeterTicks } from './meter-ticks.js';
import type { AnyMetric, MetricContext, MetricOptions } from './metric.js';
import { Metronome, deleteRecords, recordFilter, unknownType } from './metronome.js';
import { type PredefinedMetric, assertPredefined, predefinedCollector } from './predefined.js';
import { defaultNodeName, expandTemplate, nameSubstitutions } from './template.js';
import { Timer } from './timer.js';
import { warnOncePerCollector } from './warn-once.js';
import { type Generator, generatorCollector } from './generator.js';
import type { ClosedInterval, IntervalFamily, IntervalRecord, MetricType, RegistrySnapshot } from './types.js';
import { recordsOf } from './records.js';
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
  /**
   * Runs `fn` once after `ms` and returns the function that cancels it: what
   * wakes the registry at each interval boundary (for tests, with `clock`).
   * Default: an unref'd `setTimeout`.
   */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

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
  readonly #catalog = new Catalog();
  readonly #collectors = new CollectorSet();
  readonly #metronome = new Metronome((name, type) => this.#metronomeMetric(name, type));
  readonly #intervals: IntervalStore;
  readonly #meterTicks: MeterTicks;
  readonly #intervalClock: IntervalClock;
  #isClosed = false;

  constructor(options: RegistryOptions = {}) {
    const o = options ?? {};
    this.period = positiveInt(o.period ?? 10_000, 'period');
    this.keep = positiveInt(o.keep ?? 60, 'keep');
    this.#intervals = new IntervalStore(this.keep);
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
    this.#onError = o.onError ?? warnOncePerCollector();
    this.#context = {
      intervals: this.intervalsEnabled,
      maxSeries: positiveInt(o.maxSeries ?? 10_000, 'maxSeries'),
      onOverflow: (metric) => this.#overflowCounter().inc({ metric }),
    };
    const now = this.#clock();
    this.#intervalClock = new IntervalClock(this.period, this.#clock, now, o.setTimer);
    this.#meterTicks = new MeterTicks(this.#clock, now);
    if (this.intervalsEnabled) this.#intervalClock.start(() => this.closeInterval());
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
    this.#meterTicks.start(() => this.#catalog.values());
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
    return this.#catalog.get(this.expandName(name));
  }

  /** Every metric, in registration order. */
  metrics(): AnyMetric[] {
    return [...this.#catalog.values()];
  }

  /** Removes a metric (and its collector, if predefined); returns whether it existed. */
  unregister(name: string): boolean {
    const m = this.metric(name);
    if (m === undefined) return false;
    this.#catalog.remove(m);
    this.#metronome.forget(m);
    this.#collectors.removeOwnersOf(m);
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
    this.#collectors.add(collector, owns);
    return () => this.removeCollector(collector);
  }

  removeCollector(collector: Collector): void {
    this.#collectors.remove(collector);
  }

  /** Runs every collector (isolated, with a timeout), then returns a snapshot, yielding to the event loop between families. */
  async collect(): Promise<RegistrySnapshot> {
    await this.#runCollectors();
    this.#tickMeters();
    const timestamp = this.#clock();
    const families = [];
    let slice = performance.now();
    for (const m of [...this.#catalog.values()]) {
      families.push(m.snapshot());
      slice = await yieldIfDue(slice);
    }
    return { timestamp, families };
  }

  /** A snapshot of the cumulative state now, without running collectors. */
  snapshot(): RegistrySnapshot {
    this.#tickMeters();
    return { timestamp: this.#clock(), families: [...this.#catalog.values()].map((m) => m.snapshot()) };
  }

  /**
   * Closes the open interval if `now` lies past its end: every metric's columns
   * are taken at once, a collector's metrics right after it ran. An interval
   * closes once; later updates go to the next. The timer calls this at each
   * boundary; tests and custom schedulers may call it themselves.
   */
  closeInterval(now: number = this.#clock()): Promise<ClosedInterval | null> {
    return this.#intervalClock.close(now, (start, end) => this.#take(start, end));
  }

  /** Closed intervals, oldest first (at most `keep`); `after` skips those with `seq <= after`. */
  closedIntervals(after = 0): readonly ClosedInterval[] {
    return this.#intervals.list(after);
  }

  /**
   * Calls `listener` with each interval as it closes, before `keep` can forget
   * it: a reporter that takes intervals this way never misses one, however
   * long its own sends take. Returns a function that removes the listener.
   * A listener that throws is isolated (reported to `onError`).
   */
  onIntervalClosed(listener: (interval: ClosedInterval) => void): () => void {
    return this.#intervals.listen(listener);
  }

  /** Start of the interval now open (ms since the epoch). */
  get openIntervalStart(): number {
    return this.#intervalClock.openStart;
  }

  // ---- metronome-style API -------------------------------------------------

  /** Updates `name` by `value` as `type`, creating the metric on first use: counter adds, gauge sets, meter marks, histogram and timer observe. */
  update(name: string, value: number, type: MetricType): void {
    this.#metronome.update(name, value, type);
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
    return recordsOf(this.#intervals.kept, recordFilter(nameOrType, type, (n) => this.expandName(n)));
  }

  /** `delete(name, type)` / `delete(type)`: removes those records; returns how many were removed. */
  delete(nameOrType: string, type?: MetricType): number {
    return deleteRecords(this.#intervals.kept, recordFilter(nameOrType, type, (n) => this.expandName(n)));
  }

  /** Stops every timer and observer the registry and its runtime metrics started. Updates keep working. */
  close(): void {
    this.#isClosed = true;
    this.#intervalClock.stop();
    this.#meterTicks.stop();
    this.#runtime?.stop();
  }

  // ---- internals -----------------------------------------------------------

  #register<M extends AnyMetric>(options: MetricOptions, type: MetricType, make: MetricFactory<M>): M {
    if (options === null || typeof options !== 'object') {
      throw new OptionError(`Metric options must be an object, got ${show(options)}`);
    }
    return this.#catalog.register({ ...options, name: this.expandName(options.name) }, type, make, this.#context);
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
        throw unknownType(type);
    }
  }

  /** Takes the interval [start, boundary): every metric's columns at once, a collector's metrics right after it ran. */
  async #take(start: number, boundary: number): Promise<ClosedInterval> {
    this.#tickMeters();
    const closed = new Map<AnyMetric, IntervalFamily>();
    for (const m of this.#catalog.values()) if (!this.#collectors.owns(m)) closed.set(m, m.closeInterval());
    await this.#runCollectors();
    const families: IntervalFamily[] = [];
    for (const m of this.#catalog.values()) families.push(closed.get(m) ?? m.closeInterval());
    return this.#intervals.add(start, boundary, families, (error) => this.#failed('interval-listener', 'throw', error));
  }

  async #runCollectors(): Promise<void> {
    await this.#collectors.run(this.#collectTimeout, (collector, reason, error) => this.#failed(collector, reason, error));
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

  #tickMeters(): void {
    this.#meterTicks.catchUp(this.#catalog.values());
  }
}

function positiveInt(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw optionError(name, v, 'a positive integer');
  return v;
}

function optionError(name: string, value: unknown, allowed: string): OptionError {
  return new OptionError(`Option ${name} must be ${allowed}, got ${show(value)}`);
}
