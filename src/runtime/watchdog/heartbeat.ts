import { url as inspectorUrl } from 'node:inspector';
import { performance } from 'node:perf_hooks';

/** How long the loop must stay quiet before the heartbeat stops (when the watchdog can see an idle thread without it). */
export const QUIET_MS = 3000;
/** While stopped, a slow tick still looks for an opened inspector and for activity. */
export const SLOW_TICK_MS = 2000;
/**
 * Quiet is a loop active under 2 % of the time (the beat's own turn counts: about half a
 * millisecond here); a slow tick that finds it more active starts the heartbeat again.
 */
const QUIET_SHARE = 0.02;

/**
 * The main thread's heartbeat: an unref'd timer writes, each period, when the
 * loop turned and how late that turn was into a SharedArrayBuffer the watchdog
 * thread reads (`Float64Array(6)`: [0] ms since the epoch, [1] ms late, [2] 1
 * once the inspector is open, e.g. by SIGUSR1: then no more pauses; [3] the
 * largest lateness since the watchdog cleared it and [4] when that turn was,
 * so the end of a block is exact however late the watchdog looks; [5] 1 while
 * the heartbeat beats, 0 while it rests). How late is the larger of the
 * timer's lateness and the loop's active time since the last turn
 * (event-loop utilization), so a block that began just after a turn is not
 * shortened by the period.
 *
 * Resting: once the watchdog says it can tell an idle thread from a busy one
 * by itself (`allowRest()`: on Linux, from the kernel's view of the thread),
 * the heartbeat stops after `QUIET_MS` of quiet (active under 2 % of it), so an idle process
 * wakes for it once a `SLOW_TICK_MS` instead of twice a threshold. It starts
 * again at the first sign of work: a request (`wake()`, from the HTTP
 * server's diagnostics channel), the watchdog seeing the thread busy (`wake()`
 * on its message), or active time seen by the slow tick; `onWake` is told,
 * so the watchdog looks at once.
 */
export class Heartbeat {
  readonly buffer = new SharedArrayBuffer(48);
  readonly periodMs: number;
  /** Called when the heartbeat starts again by itself (not through `wake()` from the watchdog's own message). */
  onWake: (() => void) | undefined;
  /** Called as the heartbeat rests (true) and as it beats again (false), however it was woken. */
  onResting: ((resting: boolean) => void) | undefined;
  /** How many times the heartbeat rested. */
  rests = 0;
  readonly #beats = new Float64Array(this.buffer);
  #timer: NodeJS.Timeout | undefined;
  #slow: NodeJS.Timeout | undefined;
  #prev = 0;
  #active = 0;
  #quiet = 0;
  #quietFor = 0;
  #mayRest = false;
  #closed = true;

  /** `periodMs`: how often the timer turns (the watchdog uses threshold / 2). */
  constructor(periodMs: number) {
    this.periodMs = periodMs;
  }

  /** True while the timer beats every period. */
  get beating(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    if (!this.#closed) return;
    this.#closed = false;
    this.#prev = now();
    this.#active = performance.eventLoopUtilization().active;
    this.#beats[0] = this.#prev;
    this.#beat();
  }

  /** The watchdog can see an idle thread without beats: rest after `QUIET_MS` of quiet. */
  allowRest(): void {
    this.#mayRest = true;
    this.#quiet = 0;
    this.#quietFor = 0;
  }

  /** The watchdog cannot see the thread any more: never rest again. */
  forbidRest(): void {
    this.#mayRest = false;
  }

  /**
   * Beats again if resting, writing this turn (how late: the active time since
   * the heartbeat rested or last looked). Returns whether it was resting.
   */
  wake(): boolean {
    if (this.#closed || this.#timer !== undefined) return false;
    const at = now();
    const active = performance.eventLoopUtilization().active;
    this.#turn(at, Math.max(0, active - this.#active));
    this.#prev = at;
    this.#active = active;
    this.#beat();
    this.onResting?.(false);
    return true;
  }

  stop(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    clearInterval(this.#slow);
    this.#timer = undefined;
    this.#slow = undefined;
  }

  #beat(): void {
    clearInterval(this.#slow);
    this.#slow = undefined;
    this.#quiet = 0;
    this.#quietFor = 0;
    this.#beats[5] = 1;
    this.#timer = setInterval(() => this.#tick(), this.periodMs);
    this.#timer.unref();
  }

  #tick(): void {
    const at = now();
    const active = performance.eventLoopUtilization().active;
    const busy = active - this.#active;
    const late = Math.max(0, at - this.#prev - this.periodMs, busy);
    this.#turn(at, late);
    this.#prev = at;
    this.#active = active;
    if (!this.#mayRest) return;
    // Quiet over a window, not beat by beat: one beat slowed by a busy machine does not start the count again.
    this.#quiet += busy;
    this.#quietFor += this.periodMs;
    if (this.#quietFor < QUIET_MS) return;
    if (this.#quiet < QUIET_SHARE * this.#quietFor) this.#rest();
    this.#quiet = 0;
    this.#quietFor = 0;
  }

  #rest(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#beats[5] = 0;
    this.rests++;
    this.onResting?.(true);
    this.#slow = setInterval(() => {
      const at = now();
      const active = performance.eventLoopUtilization().active;
      if (active - this.#active > QUIET_SHARE * SLOW_TICK_MS) {
        if (this.wake()) this.onWake?.();
        return;
      }
      this.#turn(at, 0);
      this.#active = active;
    }, SLOW_TICK_MS);
    this.#slow.unref();
  }

  #turn(at: number, late: number): void {
    const b = this.#beats;
    b[1] = late;
    if (late >= b[3]!) {
      b[3] = late;
      b[4] = at;
    }
    if (b[2] === 0 && inspectorUrl() !== undefined) b[2] = 1;
    b[0] = at;
  }
}

function now(): number {
  return performance.timeOrigin + performance.now();
}
