import { InvalidCollectedValue, type Collector } from './collect.js';
import type { Counter } from './counter.js';
import { MetricsError, OptionError, show } from './errors.js';
import type { Gauge } from './gauge.js';
import type { Meter } from './meter.js';

/**
 * A metric whose value a user function gives, once per interval and on every
 * scrape (metronome's `{Name, {M, F, A, Key}, Type}`).
 *
 * ```ts
 * registry.predefine({ name: 'app.cache.entries', type: 'gauge', fn: () => cache.size });
 * registry.predefine({ name: 'app.pool.idle', type: 'gauge', fn: () => pool.stats(), key: 'idle' });
 * ```
 */
export interface PredefinedMetric {
  /** Metric name; may hold `%node%`, `%host%`, `%pid%` and user substitutions. */
  name: string;
  /**
   * `gauge`: the function returns the current value.
   * `counter` and `meter`: it returns a running total that never goes down; the
   * interval store records a counter's increase over the interval and a meter's total.
   */
  type: 'counter' | 'gauge' | 'meter';
  /** Returns a number, an object holding one under `key`, or a promise of either. */
  fn: () => unknown;
  /** The key to pick when `fn` returns an object. */
  key?: string;
  help?: string;
  /** Milliseconds `fn` may take. Default: the registry's `collectTimeout` (1000). */
  timeout?: number;
}

export function assertPredefined(def: PredefinedMetric): void {
  if (def === null || typeof def !== 'object') {
    throw new OptionError(`A predefined metric must be an object, got ${show(def)}`);
  }
  if (typeof def.fn !== 'function') {
    throw new OptionError(`Predefined metric ${show(def.name)} needs fn to be a function, got ${show(def.fn)}`);
  }
  if (def.type !== 'counter' && def.type !== 'gauge' && def.type !== 'meter') {
    throw new MetricsError('UNKNOWN_TYPE', `Predefined metric ${show(def.name)} has type ${show(def.type)}; use counter, gauge or meter`);
  }
  if (def.key !== undefined && typeof def.key !== 'string') {
    throw new OptionError(`key of predefined metric ${show(def.name)} must be a string, got ${show(def.key)}`);
  }
  if (def.timeout !== undefined && !(Number.isFinite(def.timeout) && def.timeout > 0)) {
    throw new OptionError(`timeout of predefined metric ${show(def.name)} must be > 0 ms, got ${show(def.timeout)}`);
  }
}

/** The collector that calls a predefined metric's function and stores its value. */
export function predefinedCollector(def: PredefinedMetric, metric: Counter | Gauge | Meter): Collector {
  const collector: Collector = {
    name: metric.name,
    async collect() {
      const raw: unknown = await def.fn();
      const value = def.key === undefined ? raw : pick(raw, def.key);
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidCollectedValue(
          `${metric.name}: ${def.key === undefined ? 'fn' : `key "${def.key}" of fn`} gave ${show(value)}, not a finite number`,
        );
      }
      if (metric.type === 'gauge') {
        metric.set(value);
        return;
      }
      const current = metric.type === 'counter' ? metric.get() : metric.get().total;
      if (value < current) {
        throw new InvalidCollectedValue(`${metric.name}: total went down from ${current} to ${value}`);
      }
      if (metric.type === 'counter') metric.inc(value - current);
      else metric.set(value);
    },
  };
  return def.timeout === undefined ? collector : { ...collector, timeout: def.timeout };
}

function pick(raw: unknown, key: string): unknown {
  if (raw instanceof Map) return raw.get(key);
  if (raw !== null && typeof raw === 'object' && Object.hasOwn(raw, key)) return (raw as Record<string, unknown>)[key];
  return undefined;
}
