import { type CollectFailure, type Collector, CollectorRun } from './collect.js';
import type { AnyMetric } from './metric.js';

/**
 * The registry's collectors, each with the metrics it owns: an owned metric's
 * interval closes only after its collector ran, so it holds fresh values.
 */
export class CollectorSet {
  readonly #collectors = new Map<Collector, { run: CollectorRun; metrics: Set<AnyMetric> }>();
  readonly #owned = new Set<AnyMetric>();

  add(collector: Collector, owns: readonly AnyMetric[]): void {
    const metrics = new Set(owns);
    this.#collectors.set(collector, { run: new CollectorRun(collector), metrics });
    for (const m of metrics) this.#owned.add(m);
  }

  remove(collector: Collector): void {
    const entry = this.#collectors.get(collector);
    if (entry === undefined) return;
    this.#collectors.delete(collector);
    for (const m of entry.metrics) this.#owned.delete(m);
  }

  /** Removes every collector that owns `m` (its metric is gone). */
  removeOwnersOf(m: AnyMetric): void {
    for (const [c, entry] of this.#collectors) if (entry.metrics.has(m)) this.remove(c);
  }

  /** Whether a collector owns `m`. */
  owns(m: AnyMetric): boolean {
    return this.#owned.has(m);
  }

  /** Runs every collector at once, each isolated and bounded by `timeout` ms; `failed` hears each failure. */
  async run(timeout: number, failed: (collector: string, reason: CollectFailure, error?: unknown) => void): Promise<void> {
    const runs = [];
    for (const [c, entry] of this.#collectors) runs.push(entry.run.run(timeout, (reason, error) => failed(c.name, reason, error)));
    await Promise.all(runs);
  }
}
