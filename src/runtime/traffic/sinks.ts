import type { Registry } from '../../metrics/index.js';
import { type TrafficMetrics, registerTrafficMetrics } from './metrics.js';

/**
 * The registries the traffic is counted on, each with its metrics registered
 * once however many callers asked for it (reference-counted, as the
 * watchdog's block metrics are). `generation` changes whenever the list does,
 * so that series handles cached per route are taken afresh.
 */
export class MetricSinks {
  /** The metrics of every registry, in registration order. */
  list: readonly TrafficMetrics[] = [];
  generation = 0;
  readonly #entries = new Map<Registry, { metrics: TrafficMetrics; users: number }>();

  /**
   * Counts the traffic on `registry` from now on; returns the remover, which
   * unregisters the metrics once every caller for that registry removed. A
   * registry that already has metrics of those names is left alone: `warn` is
   * told why and the remover does nothing.
   */
  add(registry: Registry, warn: (message: string) => void): () => void {
    let entry = this.#entries.get(registry);
    if (entry === undefined) {
      try {
        entry = { metrics: registerTrafficMetrics(registry), users: 0 };
      } catch (err) {
        warn(`traffic metrics not registered: ${(err as Error).message}`);
        return () => undefined;
      }
      this.#entries.set(registry, entry);
      this.#changed();
    }
    const e = entry;
    e.users++;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      if (--e.users === 0 && this.#entries.get(registry) === e) {
        this.#entries.delete(registry);
        this.#changed();
        e.metrics.remove();
      }
    };
  }

  #changed(): void {
    this.list = [...this.#entries.values()].map((e) => e.metrics);
    this.generation++;
  }
}

const CODE_LABELS: string[] = [];

/** A status code as a label value, each string made once. */
export function codeLabel(code: number): string {
  if (code >= 0 && code < 1000 && Number.isInteger(code)) return (CODE_LABELS[code] ??= String(code));
  return String(code);
}
