import { closeSync, openSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import { getHeapStatistics } from 'node:v8';
import type { Redactor } from './redact.js';
import { memoryLimit } from './system.js';
import type { DiagnosticsInfo, DiagnosticsState, ProfileEntry, ProfileKind, ProfileTriggers, ThreadRef } from '../protocol/index.js';
import { DiagnosticsError } from './profiles/errors.js';
import { post, sessionTarget } from './profiles/inspector.js';
import { DiagnosticLock, type FinishedProfile, Profiler, type StartOptions } from './profiles/profiler.js';
import { ProfileRing, RING_DEFAULTS } from './profiles/ring.js';
import { MAIN_THREAD, WorkerThreads } from './profiles/threads.js';
import { ProfileTriggerWatch, type TriggerHooks, type TriggerOptions, resolveTriggers } from './profiles/triggers.js';
export type { DiagnosticsState } from '../protocol/index.js';
export { DiagnosticsError, type DiagnosticsErrorCode } from './profiles/errors.js';
export type { FinishedProfile, StartOptions } from './profiles/profiler.js';
export type { TriggerHooks, TriggerOptions } from './profiles/triggers.js';

export interface DiagnosticsOptions {
  /** Longest a CPU profile or sampling heap profile runs before it stops by itself, in ms. Default: 60000. */
  maxProfileMs?: number;
  /** Sampling interval of the CPU profiler in µs. Default: 1000. */
  cpuSamplingIntervalUs?: number;
  /**
   * Before the first CPU profile, turn on V8's `--detailed-line-info` (for the
   * whole process, from then on): without it a function V8 inlined into its
   * caller is missing from profiles, its time counted to the caller. Default: true.
   */
  detailedLineInfo?: boolean;
  /** Recent profiles kept for `GET /api/diagnostics/profiles/<id>`; 0 keeps none. Default: 10. */
  profileRing?: number;
  /** Their total size as JSON, in bytes; the oldest go first, and a larger profile alone is not kept. Default: 67108864 (64 MiB). */
  profileRingBytes?: number;
  /** Optional triggers of a CPU profile (high event-loop utilization, a block). Default: all off. */
  triggers?: TriggerOptions;
}

interface ReportLike {
  environmentVariables?: Record<string, string>;
  header?: { commandLine?: string[] };
  workers?: ReportLike[];
}

/**
 * On-demand diagnostics through the inspector: a CPU profile (`.cpuprofile`)
 * and a sampling heap profile (`.heapprofile`) of the main thread or of a
 * worker thread (reached through the NodeWorker domain), a heap snapshot
 * (`.heapsnapshot`, written chunk by chunk) and the diagnostic report, all
 * loadable in Chrome DevTools. Guarded: one at a time, profiles stop by
 * themselves at `maxProfileMs`, and a heap snapshot is refused when the heap
 * or the memory limit lacks the headroom to take one. Finished profiles are
 * kept in a bounded ring; optional triggers take one by themselves.
 *
 * @example
 * const d = new Diagnostics(createRedactor(), { profileRing: 5, triggers: { elu: true } });
 * await d.startCpuProfile({ thread: 3 });
 * const { entry } = await d.stop('cpu-profile');
 * d.profile(entry.id)?.json; // the .cpuprofile text
 */
export class Diagnostics {
  readonly #redact: Redactor;
  readonly #lock = new DiagnosticLock();
  readonly #ring: ProfileRing;
  readonly #workers = new WorkerThreads();
  readonly #profiler: Profiler;
  readonly #triggers: ProfileTriggerWatch;
  #session: Session | undefined;

  constructor(redact: Redactor, options: DiagnosticsOptions = {}, hooks: TriggerHooks = {}) {
    this.#redact = redact;
    const maxProfileMs = options.maxProfileMs ?? 60_000;
    if (!(Number.isInteger(maxProfileMs) && maxProfileMs > 0)) throw new DiagnosticsError('DIAGNOSTICS_INVALID', 'maxProfileMs must be a positive integer');
    this.#ring = new ProfileRing({ entries: options.profileRing ?? RING_DEFAULTS.entries, bytes: options.profileRingBytes ?? RING_DEFAULTS.bytes });
    this.#profiler = new Profiler({ maxProfileMs, cpuSamplingIntervalUs: options.cpuSamplingIntervalUs ?? 1000, detailedLineInfo: options.detailedLineInfo ?? true }, this.#lock, this.#ring, this.#workers, () => sessionTarget(this.#connect()));
    const triggers = resolveTriggers(options.triggers);
    for (const [name, t] of [['elu', triggers.elu], ['block', triggers.block]] as const) {
      if (t !== null && t.profileMs > maxProfileMs) throw new DiagnosticsError('DIAGNOSTICS_INVALID', `triggers.${name}.profileMs (${t.profileMs}) must be at most maxProfileMs (${maxProfileMs})`);
    }
    this.#triggers = new ProfileTriggerWatch(triggers, (trigger, profileMs) => this.#startTriggered(trigger, profileMs), hooks);
    this.#triggers.start();
  }

  state(): DiagnosticsState {
    return this.#profiler.state();
  }

  /**
   * What the Diagnostics page shows but `enabled` (the server's to say): the
   * state, the threads, the ring and the triggers. `threads: false` lists only
   * the main thread, without attaching to the workers. Default: true.
   */
  async info(o: { threads?: boolean } = {}): Promise<Omit<DiagnosticsInfo, 'enabled'>> {
    const threads = o.threads === false ? [MAIN_THREAD] : await this.threads();
    return { ...this.state(), threads, profiles: this.profiles(), profileRing: this.#ring.capacity, triggers: this.triggers };
  }

  /** The main thread and the live worker threads one can profile (wobserver's own threads left out). */
  threads(): Promise<ThreadRef[]> {
    return this.#workers.list().catch(() => [MAIN_THREAD]);
  }

  /** The ring of recent profiles, newest first. */
  profiles(): ProfileEntry[] {
    return this.#ring.list();
  }

  /** A profile of the ring and its JSON text, or undefined when it was dropped (or never was). */
  profile(id: string): { entry: ProfileEntry; json: string } | undefined {
    return this.#ring.get(id);
  }

  /** The triggers as configured (null when off). */
  get triggers(): ProfileTriggers {
    const { elu, block, minIntervalMs } = this.#triggers.config;
    return { elu, block, minIntervalMs };
  }

  /**
   * Connects the block trigger to a source of blocks (the watchdog's
   * `onBlock`); does nothing when that trigger is off.
   */
  connectBlocks(onBlock: (listener: () => void) => () => void): void {
    this.#triggers.connectBlocks(onBlock);
  }

  /** Starts a CPU profile of the main thread or of `thread`; it stops by itself after `maxProfileMs`. */
  startCpuProfile(o: Pick<StartOptions, 'thread'> = {}): Promise<void> {
    return this.#profiler.start('cpu-profile', o);
  }

  /** Stops the CPU profile and returns it (the `.cpuprofile` JSON object); it stays in the ring. */
  async stopCpuProfile(): Promise<object> {
    return JSON.parse((await this.stop('cpu-profile')).json) as object;
  }

  /** Starts a sampling heap profile of the main thread or of `thread`; it stops by itself after `maxProfileMs`. */
  startHeapProfile(o: Pick<StartOptions, 'thread' | 'samplingIntervalBytes'> = {}): Promise<void> {
    return this.#profiler.start('heap-profile', o);
  }

  /** Stops the sampling heap profile and returns it (the `.heapprofile` JSON object); it stays in the ring. */
  async stopHeapProfile(): Promise<object> {
    return JSON.parse((await this.stop('heap-profile')).json) as object;
  }

  /**
   * Stops the running profile of `kind` (of `thread` when given), or hands out
   * one that stopped by itself: its ring entry and its JSON text.
   */
  stop(kind: ProfileKind, thread?: number): Promise<FinishedProfile> {
    return this.#profiler.stop(kind, thread);
  }

  /**
   * Takes a heap snapshot, handing it to `write` chunk by chunk (so it never
   * sits whole in memory); returns the bytes written. Refused with
   * `DIAGNOSTICS_NO_HEADROOM` when the heap limit or the memory limit leaves
   * less room than the used heap: V8 needs about that much to take one.
   * The snapshot stops the event loop while V8 takes it.
   */
  async heapSnapshot(write: (chunk: string) => void): Promise<number> {
    const room = snapshotRoom();
    if (room.reason !== null) throw new DiagnosticsError('DIAGNOSTICS_NO_HEADROOM', room.reason);
    this.#lock.claim('heap-snapshot');
    let bytes = 0;
    const s = this.#connect();
    const onChunk = (m: { params: { chunk: string } }): void => {
      bytes += Buffer.byteLength(m.params.chunk);
      write(m.params.chunk);
    };
    try {
      s.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
      await post(s, 'HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      return bytes;
    } catch (err) {
      throw new DiagnosticsError('DIAGNOSTICS_FAILED', `heap snapshot failed: ${(err as Error).message}`);
    } finally {
      s.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
      this.#lock.release();
    }
  }

  /** Takes a heap snapshot into a file; returns its size in bytes. */
  async heapSnapshotToFile(path: string): Promise<number> {
    const fd = openSync(path, 'w');
    try {
      return await this.heapSnapshot((chunk) => writeSync(fd, chunk));
    } finally {
      closeSync(fd);
    }
  }

  /** The diagnostic report, with network look-ups off and environment variables redacted. */
  report(): object {
    const report = process.report as typeof process.report & { excludeNetwork: boolean };
    const saved = report.excludeNetwork;
    try {
      report.excludeNetwork = true;
      return this.#scrub(report.getReport() as unknown as ReportLike);
    } finally {
      report.excludeNetwork = saved;
    }
  }

  /**
   * Redacts a report: its environment as environment, its command line as
   * argv, every other string (the header's fields, the JavaScript stack and
   * error message, libuv's handles, ...) as text; its workers' reports alike.
   */
  #scrub(r: ReportLike): ReportLike {
    const { environmentVariables: env, workers, header, ...rest } = r;
    const { commandLine, ...fields } = header ?? {};
    const out: ReportLike = {};
    if (header !== undefined) out.header = { ...this.#redact.deep(fields), ...(commandLine === undefined ? {} : { commandLine: this.#redact.argv(commandLine) }) };
    Object.assign(out, this.#redact.deep(rest));
    if (env !== undefined) out.environmentVariables = this.#redact.record(env);
    if (workers !== undefined) out.workers = workers.map((w) => this.#scrub(w));
    return out;
  }

  /** Stops whatever runs (keeping nothing), the triggers, and closes the inspector sessions. */
  close(): void {
    this.#triggers.close();
    this.#profiler.close();
    this.#workers.close();
    this.#ring.clear();
    this.#session?.disconnect();
    this.#session = undefined;
  }

  /** A triggered CPU profile of the main thread, unless another diagnostic runs. */
  async #startTriggered(trigger: 'elu' | 'block', profileMs: number): Promise<boolean> {
    if (this.#lock.held) return false;
    try {
      await this.#profiler.start('cpu-profile', { trigger, durationMs: profileMs });
      return true;
    } catch {
      return false;
    }
  }

  #connect(): Session {
    if (this.#session === undefined) {
      const s = new Session();
      s.connect();
      this.#session = s;
    }
    return this.#session;
  }
}

/** Whether a heap snapshot fits: V8 needs about as much room again as the used heap. */
export function snapshotRoom(
  h: Pick<ReturnType<typeof getHeapStatistics>, 'used_heap_size' | 'heap_size_limit' | 'total_heap_size'> = getHeapStatistics(),
  limit: { bytes: number; source: string } = memoryLimit(),
  rss: number = process.memoryUsage.rss(),
): { reason: string | null; usedHeap: number; heapRoom: number; memoryRoom: number } {
  const used = h.used_heap_size;
  const heapRoom = h.heap_size_limit - h.total_heap_size;
  const memoryRoom = limit.bytes - rss;
  let reason: string | null = null;
  if (memoryRoom < used) {
    reason = `a heap snapshot needs about ${mb(used)} MB more memory; only ${mb(memoryRoom)} MB are left under the ${limit.source} limit`;
  } else if (heapRoom < used / 2) {
    reason = `the heap is too close to its limit for a snapshot (${mb(heapRoom)} MB left, ${mb(used)} MB used)`;
  }
  return { reason, usedHeap: used, heapRoom, memoryRoom };
}

function mb(n: number): string {
  return (n / 1048576).toFixed(0);
}
