import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import type { ProfileTriggers } from '../../protocol/index.js';
import { DiagnosticsError } from './errors.js';

/**
 * The optional triggers of a CPU profile, all off by default:
 * `{ elu: { threshold: 0.9, forMs: 5000, profileMs: 5000 }, block: { profileMs: 2000 }, minIntervalMs: 60000 }`;
 * `true` for `elu` or `block` takes that trigger's defaults.
 *
 * @example
 * createObserver({ diagnostics: { triggers: { elu: { threshold: 0.8, forMs: 10_000 } } } });
 */
export interface TriggerOptions {
  /** A CPU profile of `profileMs` when event-loop utilization stays at or above `threshold` (0–1) for `forMs`. Default: off. */
  elu?: boolean | { threshold?: number; forMs?: number; profileMs?: number };
  /** A CPU profile of `profileMs` when the watchdog reports a block. Default: off. */
  block?: boolean | { profileMs?: number };
  /** Least time between two triggered profiles, in ms. Default: 60000. */
  minIntervalMs?: number;
  /** How often event-loop utilization is read while the ELU trigger is on, in ms. Default: 1000. */
  sampleMs?: number;
}

export const TRIGGER_DEFAULTS = {
  elu: { threshold: 0.9, forMs: 5000, profileMs: 5000 },
  block: { profileMs: 2000 },
  minIntervalMs: 60_000,
  sampleMs: 1000,
} as const;

/** The triggers with their defaults filled in, as the Diagnostics page shows them; throws `DIAGNOSTICS_INVALID` naming a bad value. */
export function resolveTriggers(o: TriggerOptions = {}): ProfileTriggers & { sampleMs: number } {
  const e = o.elu === true ? {} : o.elu || null;
  const b = o.block === true ? {} : o.block || null;
  const out = {
    elu: e === null ? null : { threshold: e.threshold ?? TRIGGER_DEFAULTS.elu.threshold, forMs: e.forMs ?? TRIGGER_DEFAULTS.elu.forMs, profileMs: e.profileMs ?? TRIGGER_DEFAULTS.elu.profileMs },
    block: b === null ? null : { profileMs: b.profileMs ?? TRIGGER_DEFAULTS.block.profileMs },
    minIntervalMs: o.minIntervalMs ?? TRIGGER_DEFAULTS.minIntervalMs,
    sampleMs: o.sampleMs ?? TRIGGER_DEFAULTS.sampleMs,
  };
  if (out.elu !== null) {
    if (!(typeof out.elu.threshold === 'number' && out.elu.threshold > 0 && out.elu.threshold <= 1)) invalid('triggers.elu.threshold', 'a number above 0 and at most 1', out.elu.threshold);
    intAtLeast('triggers.elu.forMs', out.elu.forMs, 0);
    intAtLeast('triggers.elu.profileMs', out.elu.profileMs, 1);
  }
  if (out.block !== null) intAtLeast('triggers.block.profileMs', out.block.profileMs, 1);
  intAtLeast('triggers.minIntervalMs', out.minIntervalMs, 0);
  intAtLeast('triggers.sampleMs', out.sampleMs, 10);
  return out;
}

/** What the triggers need from outside; each has a default but `onBlock`. */
export interface TriggerHooks {
  /** Subscribes a listener to blocks (the watchdog's `observer.eventLoop.onBlock`); returns its unsubscribe. Without it the block trigger waits for `connectBlocks()`. */
  onBlock?: (listener: () => void) => () => void;
  /** Runs `tick` every `ms`; returns its cancel. Default: an unref'd `setInterval`. */
  schedule?: (tick: () => void, ms: number) => () => void;
  /** Default: `performance.now`. */
  now?: () => number;
  /** Event-loop utilization since `prev` (or since start). Default: `performance.eventLoopUtilization`. */
  elu?: (prev?: EventLoopUtilization) => EventLoopUtilization;
}

/** Starts a triggered CPU profile of `profileMs`; resolves false when it could not (another diagnostic runs). Never rejects. */
export type StartTriggered = (trigger: 'elu' | 'block', profileMs: number) => Promise<boolean>;

/**
 * Watches for what the configured triggers wait for and starts a profile
 * through `start`: a sustained high event-loop utilization (read each
 * `sampleMs` by an unref'd timer, only while that trigger is on), or a block.
 * At most one triggered profile per `minIntervalMs`; one that could not start
 * (another diagnostic was running) does not count. Never throws into the host.
 */
export class ProfileTriggerWatch {
  readonly config: ProfileTriggers & { sampleMs: number };
  readonly #start: StartTriggered;
  readonly #hooks: TriggerHooks;
  readonly #now: () => number;
  #cancelElu: (() => void) | undefined;
  #cancelBlock: (() => void) | undefined;
  #prev: EventLoopUtilization | undefined;
  #lastTick = 0;
  #aboveSince: number | null = null;
  #lastFired = Number.NEGATIVE_INFINITY;
  #firing = false;
  /** Triggered profiles started, by trigger. */
  readonly fired = { elu: 0, block: 0 };

  constructor(config: ProfileTriggers & { sampleMs: number }, start: StartTriggered, hooks: TriggerHooks = {}) {
    this.config = config;
    this.#start = start;
    this.#hooks = hooks;
    this.#now = hooks.now ?? (() => performance.now());
  }

  /** Starts what is configured: the ELU sampler, and the block subscription when `onBlock` was given. */
  start(): void {
    if (this.config.elu !== null && this.#cancelElu === undefined) {
      const elu = this.#hooks.elu ?? ((p) => performance.eventLoopUtilization(p));
      this.#prev = elu();
      this.#lastTick = this.#now();
      this.#cancelElu = (this.#hooks.schedule ?? everyInterval)(() => this.#sampleElu(elu), this.config.sampleMs);
    }
    if (this.#hooks.onBlock !== undefined) this.connectBlocks(this.#hooks.onBlock);
  }

  /** Subscribes the block trigger to a source of blocks (when the trigger is configured); a second source replaces the first. */
  connectBlocks(onBlock: (listener: () => void) => () => void): void {
    if (this.config.block === null) return;
    this.#cancelBlock?.();
    const profileMs = this.config.block.profileMs;
    this.#cancelBlock = onBlock(() => this.#fire('block', profileMs));
  }

  close(): void {
    this.#cancelElu?.();
    this.#cancelBlock?.();
    this.#cancelElu = this.#cancelBlock = undefined;
  }

  #sampleElu(elu: (prev?: EventLoopUtilization) => EventLoopUtilization): void {
    const cfg = this.config.elu;
    if (cfg === null) return;
    try {
      const now = this.#now();
      const cur = elu();
      const u = elu(this.#prev).utilization;
      this.#prev = cur;
      const windowStart = this.#lastTick;
      this.#lastTick = now;
      if (!(u >= cfg.threshold)) {
        this.#aboveSince = null;
        return;
      }
      this.#aboveSince ??= windowStart;
      if (now - this.#aboveSince >= cfg.forMs) this.#fire('elu', cfg.profileMs);
    } catch {
      // Sampling never throws into the host.
    }
  }

  #fire(trigger: 'elu' | 'block', profileMs: number): void {
    const now = this.#now();
    if (this.#firing || now - this.#lastFired < this.config.minIntervalMs) return;
    this.#firing = true;
    this.#start(trigger, profileMs)
      .then((started) => {
        if (!started) return;
        this.#lastFired = now;
        this.#aboveSince = null;
        this.fired[trigger]++;
      })
      .catch(() => undefined)
      .finally(() => {
        this.#firing = false;
      });
  }
}

function everyInterval(tick: () => void, ms: number): () => void {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}

function intAtLeast(name: string, v: unknown, min: number): void {
  if (!(Number.isInteger(v) && (v as number) >= min)) invalid(name, `an integer >= ${min}`, v);
}

function invalid(name: string, what: string, v: unknown): never {
  throw new DiagnosticsError('DIAGNOSTICS_INVALID', `${name} must be ${String(what)}, got ${JSON.stringify(v)}`);
}
