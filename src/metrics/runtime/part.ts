import type { Collector } from '../collect.js';
import type { AnyMetric } from '../metric.js';
import type { Registry } from '../registry.js';

/** What one runtime collector started. */
export interface RuntimePart {
  readonly metrics: readonly AnyMetric[];
  stop(): void;
}

/** What every runtime collector is given. */
export interface RuntimeContext {
  readonly registry: Registry;
  /** Prefix of every metric name. */
  readonly prefix: string;
  /** Fires at the end of each measurement window. */
  readonly window: RuntimeWindow;
  readonly eventLoopDelayResolution: number;
  readonly gcDurationBuckets: readonly number[] | undefined;
}

/** One unref'd timer shared by the collectors that report over fixed windows. */
export class RuntimeWindow {
  readonly ms: number;
  #listeners: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.ms = ms;
  }

  /** Calls `fn` at the end of every window; returns a remover. */
  onEnd(fn: () => void): () => void {
    this.#listeners.push(fn);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => {
        for (const l of this.#listeners) l();
      }, this.ms);
      this.#timer.unref();
    }
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== fn);
      if (this.#listeners.length === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** Registers `collect` as the collector of `metrics`; the part's stop removes it and runs `cleanup`. */
export function collectorPart(
  ctx: RuntimeContext,
  name: string,
  metrics: readonly AnyMetric[],
  collect: Collector['collect'],
  cleanup?: () => void,
): RuntimePart {
  const remove = ctx.registry.addCollector({ name: `runtime:${name}`, collect }, metrics);
  return {
    metrics,
    stop() {
      remove();
      cleanup?.();
    },
  };
}
