import * as diagnostics from 'node:diagnostics_channel';
import * as inspector from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { OWN_THREAD_PREFIX, markOwnThread } from '../own-threads.js';
import type { Registry } from '../../metrics/index.js';
import type { BlockEvent, EventLoopInfo, ThreadRef } from '../../protocol/index.js';
import type { Redactor } from '../redact.js';
import { finishFrames, signature } from './frames.js';
import { Heartbeat } from './heartbeat.js';
import type { ToWatchdog, WatchdogMessage } from './messages.js';
import { type BlockMetrics, registerBlockMetrics } from './metrics.js';
import { type EventLoopOptions, MAX_FRAMES, MAX_GROUPS, type ResolvedEventLoopOptions, resolveEventLoopOptions } from './options.js';
import { BlockStore } from './store.js';
import { WORKER_SOURCE } from './worker-source.js';

/** Counts of the watchdog's own work, for tests and benchmarks: every pause must have been resumed. */
export interface WatchdogStats {
  paused: number;
  resumed: number;
  resumeFailures: number;
  warnings: string[];
  /** Whether the main thread's heartbeat rests now (an idle loop watched through the kernel), and how many times it did. */
  resting: boolean;
  rests: number;
}

const MAIN: ThreadRef = { id: 0, name: 'main' };

/**
 * Notices a thread that stopped turning its event loop and captures its
 * JavaScript stack while it is still blocked. The main thread only beats (an
 * unref'd timer writing into a SharedArrayBuffer every threshold / 2, resting
 * while the loop is idle, when the watchdog can see it through /proc); a
 * watchdog thread reads the beats, and when one is later than the threshold,
 * pauses the blocked thread through an inspector session
 * (`connectToMainThread`, `Debugger.pause`), takes its frames and resumes it
 * at once. Worker threads get a heartbeat injected through the inspector's
 * NodeWorker domain. Finished blocks come back here, are source-mapped,
 * redacted, kept in a bounded ring and grouped by signature.
 *
 * ```ts
 * const off = observer.eventLoop.onBlock((e) => console.log(e.durationMs, e.stack?.[0]?.functionName));
 * ```
 */
export class EventLoopWatchdog {
  readonly options: ResolvedEventLoopOptions;
  readonly #redactor: Redactor;
  readonly #store: BlockStore;
  readonly #listeners = new Set<(e: BlockEvent) => void>();
  readonly #metrics = new Map<Registry, { metrics: BlockMetrics; users: number }>();
  readonly #threads = new Map<string, ThreadRef>([['main', MAIN]]);
  readonly #open = new Map<string, number>();
  readonly #stats = { paused: 0, resumed: 0, resumeFailures: 0, warnings: [] as string[] };
  #heartbeat: Heartbeat | undefined;
  #worker: Worker | undefined;
  #capture: EventLoopInfo['capture'] = 'durations';
  #why: string | null;
  #ready: Promise<void>;
  #started = false;
  #onExit = (): void => this.close();
  // A request while the heartbeat rests: beat again before its handler runs, and have the watchdog look at once.
  #onRequest = (): void => {
    if (this.#heartbeat?.wake() === true) this.#tell({ t: 'armed' });
  };
  #listening = false;
  /**
   * Listens to the HTTP server's requests only while the heartbeat rests: a
   * beating heartbeat needs no wake, and with no subscriber Node does not build
   * the channel's message for every request.
   */
  #listen(on: boolean): void {
    if (on === this.#listening) return;
    if (on) diagnostics.subscribe('http.server.request.start', this.#onRequest);
    else diagnostics.unsubscribe('http.server.request.start', this.#onRequest);
    this.#listening = on;
  }

  constructor(redactor: Redactor, options?: EventLoopOptions) {
    this.options = resolveEventLoopOptions(options);
    this.#redactor = redactor;
    this.#store = new BlockStore(this.options.events);
    const o = this.options;
    this.#why = o.enabled ? null : 'the watchdog is off (eventLoop.enabled: false)';
    if (!o.enabled) {
      this.#ready = Promise.resolve();
      return;
    }
    // A debugger (--inspect, inspector.open()) owns pauses: ours would resume its breakpoints.
    const taken = inspector.url() !== undefined;
    const why = taken ? `the inspector is in use (${inspector.url()}): blocks are counted with their duration only` : o.stacks ? null : 'stacks are off (eventLoop.stacks: false)';
    this.#why = why;
    const periodMs = Math.max(5, Math.floor(o.thresholdMs / 2));
    this.#heartbeat = new Heartbeat(periodMs);
    this.#heartbeat.onWake = () => this.#tell({ t: 'armed' });
    this.#heartbeat.onResting = (resting) => this.#listen(resting);
    this.#heartbeat.start();
    let ready!: () => void;
    this.#ready = new Promise((resolve) => {
      ready = resolve;
    });
    const worker = markOwnThread(new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      name: `${OWN_THREAD_PREFIX}watchdog`,
      // The watchdog needs little: a small heap, so that it cannot grow.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
      workerData: {
        main: this.#heartbeat.buffer,
        thresholdMs: o.thresholdMs,
        periodMs,
        stacks: o.stacks && !taken,
        workers: o.workers && !taken,
        frames: MAX_FRAMES,
        capturesPerMinute: o.capturesPerMinute,
        channel: `wobserver-watchdog-${process.pid}-${Math.random().toString(36).slice(2)}`,
        noStack: taken ? 'inspector-in-use' : 'stacks-off',
        why,
      },
    }));
    worker.on('message', (m: WatchdogMessage) => {
      try {
        this.#receive(m);
      } catch (err) {
        this.#warn(`event dropped: ${(err as Error).message}`);
      }
      if (m.t === 'state') {
        this.#started = true;
        ready();
      }
    });
    worker.on('error', (err) => {
      this.#capture = 'durations';
      this.#why = `the watchdog thread failed: ${err.message}`;
      ready();
    });
    worker.on('exit', () => {
      ready();
      if (this.#worker === worker) {
        this.#worker = undefined;
        this.#why ??= 'the watchdog thread exited';
      }
    });
    // After the listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    this.#worker = worker;
    process.once('exit', this.#onExit);
  }

  /** Resolves once the watchdog thread said whether it captures stacks (at once when it is off); the process stays up for it meanwhile. */
  ready(): Promise<void> {
    const w = this.#worker;
    if (w === undefined || this.#started) return this.#ready;
    // Unref'd, the thread would not keep an awaiting caller's process alive until it answers.
    w.ref();
    return this.#ready.finally(() => w.unref());
  }

  /** The Event loop page's data. */
  info(): EventLoopInfo {
    const now = performance.timeOrigin + performance.now();
    const o = this.options;
    // Opened after the start (SIGUSR1, inspector.open()): the watchdog thread sees it too and stops pausing.
    const opened = this.#worker !== undefined && this.#capture === 'stacks' ? inspector.url() : undefined;
    return {
      enabled: this.#worker !== undefined,
      thresholdMs: o.thresholdMs,
      capture: opened === undefined ? this.#capture : 'durations',
      why: opened === undefined ? this.#why : `the inspector was opened (${opened}): blocks are counted with their duration only`,
      threads: [...this.#threads].map(([key, t]) => {
        const since = this.#open.get(key);
        return { ...t, blockedMs: since === undefined ? null : Math.max(0, Math.round(now - since)) };
      }),
      events: this.#store.events(),
      groups: this.#store.groups(),
      totals: { ...this.#store.totals },
      limits: { events: o.events, capturesPerMinute: o.capturesPerMinute, groups: MAX_GROUPS, frames: MAX_FRAMES },
    };
  }

  /** Calls `listener` on the main thread with each finished block; returns the remover. A listener that throws is ignored. */
  onBlock(listener: (e: BlockEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Counts `nodejs_eventloop_blocks_total` and `nodejs_eventloop_block_duration_seconds` on `registry`
   * from now on; returns the remover, which unregisters them once every caller for that registry removed.
   * A registry that already has metrics of those names of its own is left alone (a warning in `stats()`).
   */
  registerMetrics(registry: Registry): () => void {
    let entry = this.#metrics.get(registry);
    if (entry === undefined) {
      try {
        entry = { metrics: registerBlockMetrics(registry), users: 0 };
      } catch (err) {
        this.#warn(`block metrics not registered: ${(err as Error).message}`);
        return () => undefined;
      }
      this.#metrics.set(registry, entry);
    }
    const e = entry;
    e.users++;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      if (--e.users === 0 && this.#metrics.get(registry) === e) {
        this.#metrics.delete(registry);
        e.metrics.remove();
      }
    };
  }

  /** Pauses and resumes seen, for tests and benchmarks. */
  stats(): WatchdogStats {
    const h = this.#heartbeat;
    return { ...this.#stats, warnings: this.#stats.warnings.slice(), resting: h !== undefined && !h.beating, rests: h?.rests ?? 0 };
  }

  /** Stops the heartbeat and the watchdog thread (its inspector session disconnects). Idempotent. */
  close(): void {
    process.off('exit', this.#onExit);
    this.#listen(false);
    this.#heartbeat?.stop();
    this.#heartbeat = undefined;
    const w = this.#worker;
    this.#worker = undefined;
    if (w !== undefined) {
      w.postMessage('stop' satisfies ToWatchdog);
      void w.terminate().catch(() => undefined);
    }
    this.#why = 'the watchdog is stopped';
  }

  #receive(m: WatchdogMessage): void {
    switch (m.t) {
      case 'state':
        this.#capture = m.capture;
        if (m.why !== null || m.capture === 'stacks') this.#why = m.why;
        return;
      case 'thread':
        this.#threads.set(m.key, m.thread);
        return;
      case 'gone':
        this.#threads.delete(m.key);
        this.#open.delete(m.key);
        return;
      case 'open':
        this.#open.set(m.key, m.startedAt);
        return;
      case 'cancel':
        this.#open.delete(m.key);
        return;
      case 'rest':
        this.#heartbeat?.allowRest();
        return;
      case 'arm':
        if (m.stay === true) this.#heartbeat?.forbidRest();
        this.#heartbeat?.wake();
        return;
      case 'paused':
        this.#stats.paused++;
        return;
      case 'resumed':
        this.#stats.resumed++;
        if (m.failed !== undefined) this.#stats.resumeFailures++;
        return;
      case 'warn':
        this.#warn(m.message);
        return;
      case 'block':
        this.#open.delete(m.key);
        this.#finish(m);
    }
  }

  #finish(m: Extract<WatchdogMessage, { t: 'block' }>): void {
    const stack = m.frames === null ? null : finishFrames(m.frames, this.#redactor);
    const durationMs = Math.round(m.durationMs * 10) / 10;
    const event = this.#store.add({
      thread: m.thread,
      startedAt: Math.round(m.startedAt),
      durationMs,
      stack,
      signature: stack === null || stack.length === 0 ? null : signature(stack),
      captureMs: m.captureMs === null ? null : Math.round(m.captureMs * 10) / 10,
      noStack: m.noStack,
      ...(m.note !== undefined ? { note: safeText(this.#redactor, m.note) } : {}),
    });
    const kind = m.thread.id === 0 ? 'main' : 'worker';
    for (const { metrics } of this.#metrics.values()) metrics.observe(kind, durationMs);
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // A listener's error is its own: the others and the watchdog go on.
      }
    }
  }

  #tell(m: ToWatchdog): void {
    try {
      this.#worker?.postMessage(m);
    } catch {
      // The thread is gone: nothing to tell.
    }
  }

  #warn(message: string): void {
    const w = this.#stats.warnings;
    w.push(message);
    if (w.length > 20) w.shift();
  }
}

function safeText(r: Redactor, s: string): string {
  try {
    return r.text(s);
  } catch {
    return '[redacted]';
  }
}
