import { setFlagsFromString } from 'node:v8';
import type { DiagnosticsState, ProfileEntry, ProfileKind, ProfileTrigger, ThreadRef } from '../../protocol/index.js';
import { DiagnosticsError } from './errors.js';
import type { InspectorTarget } from './inspector.js';
import type { ProfileRing } from './ring.js';
import { MAIN_THREAD, type WorkerThreads } from './threads.js';

/** One diagnostic at a time, whatever it is (a profile on any thread, a heap snapshot). */
export class DiagnosticLock {
  #what: string | null = null;

  /** Takes the lock or throws `DIAGNOSTICS_BUSY` naming what holds it. */
  claim(what: string): void {
    if (this.#what !== null) throw new DiagnosticsError('DIAGNOSTICS_BUSY', `${this.#what} is running; one diagnostic at a time`);
    this.#what = what;
  }

  release(): void {
    this.#what = null;
  }

  get held(): boolean {
    return this.#what !== null;
  }
}

export interface ProfilerOptions {
  maxProfileMs: number;
  cpuSamplingIntervalUs: number;
  /** Turn on V8's `--detailed-line-info` before the first CPU profile (see `DiagnosticsOptions.detailedLineInfo`). */
  detailedLineInfo: boolean;
}

let detailed = false;

/**
 * V8 counts the samples of a function it inlined into an optimized caller to
 * that caller, unless `--detailed-line-info` is on: a hot function, the one a
 * profile is taken to find, is then missing from it. Measured here (Node 20):
 * a worker's hot function optimized for 3 s was missing from 5 of 5 profiles
 * without it, from none with it, set at run time just before profiling.
 */
function enableDetailedLineInfo(): void {
  if (detailed) return;
  detailed = true;
  setFlagsFromString('--detailed-line-info');
}

/** How a profile is started. */
export interface StartOptions {
  /** 0 (the main thread) or a worker thread's `threadId`. Default: 0. */
  thread?: number;
  /** Bytes between heap samples (heap profiles). Default: 32768. */
  samplingIntervalBytes?: number;
  /** What started it. Default: `manual`. */
  trigger?: ProfileTrigger;
  /** It stops by itself after this long (at most `maxProfileMs`). Default: `maxProfileMs`. */
  durationMs?: number;
}

/** A finished profile: its ring entry and its JSON (kept in the ring when it fits). */
export interface FinishedProfile {
  entry: ProfileEntry;
  json: string;
  kept: boolean;
}

interface Running {
  kind: ProfileKind;
  thread: ThreadRef;
  trigger: ProfileTrigger;
  startedAt: number;
  startedMono: number;
  stopsAt: number;
  timer: NodeJS.Timeout;
  target: InspectorTarget;
  /** Lets go of the worker's session (nothing for the main thread). */
  dispose(): void;
}

/**
 * CPU and sampling heap profiles on the main thread or a worker thread, one at
 * a time (the shared lock), each stopping by itself after `maxProfileMs` (or
 * its own shorter duration). Every finished profile goes to the ring; one that
 * stopped by itself and was started by a person also waits for its `stop()`.
 */
export class Profiler {
  readonly #o: ProfilerOptions;
  readonly #lock: DiagnosticLock;
  readonly #ring: ProfileRing;
  readonly #workers: WorkerThreads;
  readonly #main: () => InspectorTarget;
  #running: Running | null = null;
  #finished: (FinishedProfile & { kind: ProfileKind; thread: ThreadRef; startedAt: number }) | null = null;
  #lost: string | null = null;

  constructor(o: ProfilerOptions, lock: DiagnosticLock, ring: ProfileRing, workers: WorkerThreads, main: () => InspectorTarget) {
    this.#o = o;
    this.#lock = lock;
    this.#ring = ring;
    this.#workers = workers;
    this.#main = main;
  }

  state(): DiagnosticsState {
    const r = this.#running;
    const f = this.#finished;
    return {
      running: r === null ? null : { kind: r.kind, thread: r.thread, startedAt: r.startedAt, stopsAt: r.stopsAt, trigger: r.trigger },
      finished: f === null ? null : { kind: f.kind, thread: f.thread, startedAt: f.startedAt },
    };
  }

  /** Starts a profile; throws `DIAGNOSTICS_BUSY`, `DIAGNOSTICS_THREAD_NOT_FOUND`, `DIAGNOSTICS_INVALID` or `DIAGNOSTICS_FAILED`. */
  async start(kind: ProfileKind, o: StartOptions = {}): Promise<void> {
    const threadId = o.thread ?? 0;
    if (!(Number.isInteger(threadId) && threadId >= 0)) throw new DiagnosticsError('DIAGNOSTICS_INVALID', `thread must be an integer >= 0, got ${String(o.thread)}`);
    const durationMs = Math.min(o.durationMs ?? this.#o.maxProfileMs, this.#o.maxProfileMs);
    this.#lock.claim(kind);
    let target: InspectorTarget & { thread: ThreadRef; dispose(): void };
    try {
      target = await this.#target(threadId);
    } catch (err) {
      this.#lock.release();
      throw err;
    }
    try {
      if (kind === 'cpu-profile') {
        if (this.#o.detailedLineInfo) enableDetailedLineInfo();
        await target.post('Profiler.enable');
        await target.post('Profiler.setSamplingInterval', { interval: this.#o.cpuSamplingIntervalUs });
        await target.post('Profiler.start');
      } else {
        await target.post('HeapProfiler.enable');
        await target.post('HeapProfiler.startSampling', { samplingInterval: o.samplingIntervalBytes ?? 32768 });
      }
    } catch (err) {
      target.dispose();
      this.#lock.release();
      throw new DiagnosticsError('DIAGNOSTICS_FAILED', `${kind} did not start on thread ${threadId}: ${(err as Error).message}`);
    }
    this.#finished = null;
    this.#lost = null;
    const startedAt = Date.now();
    const timer = setTimeout(() => void this.#autoStop(), durationMs);
    timer.unref();
    this.#running = { kind, thread: target.thread, trigger: o.trigger ?? 'manual', startedAt, startedMono: performance.now(), stopsAt: startedAt + durationMs, timer, target, dispose: () => target.dispose() };
  }

  /**
   * Stops the running profile of `kind` (of `thread`, when given) and returns
   * it, or hands out the one that stopped by itself; throws
   * `DIAGNOSTICS_NOT_RUNNING` when there is neither.
   */
  async stop(kind: ProfileKind, thread?: number): Promise<FinishedProfile> {
    const f = this.#finished;
    if (this.#running === null && f !== null && f.kind === kind && (thread === undefined || thread === f.thread.id)) {
      this.#finished = null;
      return { entry: f.entry, json: f.json, kept: f.kept };
    }
    const r = this.#running;
    if (r === null || r.kind !== kind || (thread !== undefined && thread !== r.thread.id)) {
      const on = thread === undefined ? '' : ` on thread ${thread}`;
      throw new DiagnosticsError('DIAGNOSTICS_NOT_RUNNING', this.#lost ?? `no ${kind} is running${on}`);
    }
    return this.#finish(r);
  }

  /** Ends whatever runs without keeping it. */
  close(): void {
    const r = this.#running;
    this.#running = null;
    this.#finished = null;
    if (r === null) return;
    clearTimeout(r.timer);
    // Stops the profiler where it runs; a worker's session is let go of either way.
    const stop = r.kind === 'cpu-profile' ? 'Profiler.stop' : 'HeapProfiler.stopSampling';
    void r.target
      .post(stop)
      .catch(() => undefined)
      .finally(() => r.dispose());
    this.#lock.release();
  }

  async #target(threadId: number): Promise<InspectorTarget & { thread: ThreadRef; dispose(): void }> {
    if (threadId === 0) return { ...this.#main(), thread: MAIN_THREAD, dispose: () => undefined };
    try {
      await this.#workers.acquire();
    } catch (err) {
      throw new DiagnosticsError('DIAGNOSTICS_FAILED', `worker threads cannot be reached: ${(err as Error).message}`);
    }
    const t = this.#workers.target(threadId, () => this.#gone(threadId));
    if (t === undefined) {
      this.#workers.release();
      throw new DiagnosticsError('DIAGNOSTICS_THREAD_NOT_FOUND', `No worker thread ${threadId} to profile`);
    }
    return {
      thread: t.thread,
      post: t.post,
      dispose: () => {
        t.dispose();
        this.#workers.release();
      },
    };
  }

  /** The profiled worker exited: its profile is lost; the lock is free again. */
  #gone(threadId: number): void {
    const r = this.#running;
    if (r === null || r.thread.id !== threadId) return;
    clearTimeout(r.timer);
    this.#running = null;
    this.#lost = `thread ${threadId} (${r.thread.name}) exited during its ${r.kind}; nothing was kept`;
    r.dispose();
    this.#lock.release();
  }

  async #autoStop(): Promise<void> {
    const r = this.#running;
    if (r === null) return;
    try {
      const done = await this.#finish(r);
      // Someone started it and may come for it; a triggered one is only in the ring.
      if (r.trigger === 'manual') this.#finished = { ...done, kind: r.kind, thread: r.thread, startedAt: r.startedAt };
    } catch {
      // It failed to stop (the thread went away): nothing to keep.
    }
  }

  async #finish(r: Running): Promise<FinishedProfile> {
    clearTimeout(r.timer);
    this.#running = null;
    let profile: object;
    try {
      if (r.kind === 'cpu-profile') {
        ({ profile } = (await r.target.post('Profiler.stop')) as { profile: object });
      } else {
        ({ profile } = (await r.target.post('HeapProfiler.stopSampling')) as { profile: object });
      }
      // The profile is in hand: a domain that fails to turn off does not lose it.
      // HeapProfiler stays enabled: disabling it clears V8's object ids, and two heap
      // snapshots taken around a heap profile could no longer be compared object by object.
      if (r.kind === 'cpu-profile') await r.target.post('Profiler.disable').catch(() => undefined);
    } catch (err) {
      throw new DiagnosticsError('DIAGNOSTICS_FAILED', `${r.kind} did not stop cleanly: ${(err as Error).message}`);
    } finally {
      r.dispose();
      this.#lock.release();
    }
    return this.#ring.add({ kind: r.kind, thread: r.thread, startedAt: r.startedAt, durationMs: performance.now() - r.startedMono, trigger: r.trigger, profile });
  }
}
