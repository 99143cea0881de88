import { RuntimeError } from './errors.js';
import { closeSync, openSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import { getHeapStatistics } from 'node:v8';
import type { Redactor } from './redact.js';
import { memoryLimit } from './system.js';
import type { DiagnosticsState } from '../protocol/index.js';
export type { DiagnosticsState } from '../protocol/index.js';

export type DiagnosticsErrorCode = 'DIAGNOSTICS_BUSY' | 'DIAGNOSTICS_NOT_RUNNING' | 'DIAGNOSTICS_NO_HEADROOM' | 'DIAGNOSTICS_FAILED' | 'DIAGNOSTICS_INVALID';

export class DiagnosticsError extends RuntimeError<DiagnosticsErrorCode> {}

export interface DiagnosticsOptions {
  /** Longest a CPU profile or sampling heap profile runs before it stops by itself, in ms. Default: 60000. */
  maxProfileMs?: number;
  /** Sampling interval of the CPU profiler in µs. Default: 1000. */
  cpuSamplingIntervalUs?: number;
}

/**
 * On-demand diagnostics through an in-process inspector session: a CPU
 * profile (`.cpuprofile`), a sampling heap profile (`.heapprofile`), a heap
 * snapshot (`.heapsnapshot`, written chunk by chunk) and the diagnostic report,
 * all loadable in Chrome DevTools. Guarded: one at a time, profiles stop by
 * themselves at `maxProfileMs`, and a heap snapshot is refused when the heap
 * or the memory limit lacks the headroom to take one.
 */
interface ReportLike {
  environmentVariables?: Record<string, string>;
  header?: { commandLine?: string[] };
  workers?: ReportLike[];
}

export class Diagnostics {
  readonly #maxProfileMs: number;
  readonly #cpuIntervalUs: number;
  readonly #redact: Redactor;
  #busy: string | null = null;
  #session: Session | undefined;
  #running: { kind: 'cpu-profile' | 'heap-profile'; startedAt: number; stopsAt: number; timer: NodeJS.Timeout } | null = null;
  #finished: { kind: 'cpu-profile' | 'heap-profile'; startedAt: number; result: unknown } | null = null;

  constructor(redact: Redactor, options: DiagnosticsOptions = {}) {
    this.#redact = redact;
    this.#maxProfileMs = options.maxProfileMs ?? 60_000;
    this.#cpuIntervalUs = options.cpuSamplingIntervalUs ?? 1000;
    if (!(Number.isInteger(this.#maxProfileMs) && this.#maxProfileMs > 0)) throw new DiagnosticsError('DIAGNOSTICS_INVALID', 'maxProfileMs must be a positive integer');
  }

  state(): DiagnosticsState {
    const r = this.#running;
    const f = this.#finished;
    return {
      running: r === null ? null : { kind: r.kind, thread: MAIN, startedAt: r.startedAt, stopsAt: r.stopsAt, trigger: 'manual' },
      finished: f === null ? null : { kind: f.kind, thread: MAIN, startedAt: f.startedAt },
    };
  }

  /** Starts a CPU profile; it stops by itself after `maxProfileMs`. */
  async startCpuProfile(): Promise<void> {
    await this.#begin('cpu-profile', async (s) => {
      await post(s, 'Profiler.enable');
      await post(s, 'Profiler.setSamplingInterval', { interval: this.#cpuIntervalUs });
      await post(s, 'Profiler.start');
    });
  }

  /** Stops the CPU profile and returns it (the `.cpuprofile` JSON object). */
  async stopCpuProfile(): Promise<object> {
    return this.#end('cpu-profile', async (s) => {
      const { profile } = (await post(s, 'Profiler.stop')) as { profile: object };
      await post(s, 'Profiler.disable');
      return profile;
    });
  }

  /** Starts a sampling heap profile; it stops by itself after `maxProfileMs`. */
  async startHeapProfile(samplingIntervalBytes = 32768): Promise<void> {
    await this.#begin('heap-profile', async (s) => {
      await post(s, 'HeapProfiler.enable');
      await post(s, 'HeapProfiler.startSampling', { samplingInterval: samplingIntervalBytes });
    });
  }

  /** Stops the sampling heap profile and returns it (the `.heapprofile` JSON object). */
  async stopHeapProfile(): Promise<object> {
    return this.#end('heap-profile', async (s) => {
      const { profile } = (await post(s, 'HeapProfiler.stopSampling')) as { profile: object };
      await post(s, 'HeapProfiler.disable');
      return profile;
    });
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
    this.#claim('heap-snapshot');
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
      this.#release();
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

  /** Stops whatever runs and closes the inspector session. */
  close(): void {
    if (this.#running !== null) clearTimeout(this.#running.timer);
    this.#running = null;
    this.#finished = null;
    this.#busy = null;
    this.#session?.disconnect();
    this.#session = undefined;
  }

  #connect(): Session {
    if (this.#session === undefined) {
      const s = new Session();
      s.connect();
      this.#session = s;
    }
    return this.#session;
  }

  #claim(what: string): void {
    if (this.#busy !== null) throw new DiagnosticsError('DIAGNOSTICS_BUSY', `${this.#busy} is running; one diagnostic at a time`);
    this.#busy = what;
  }

  #release(): void {
    this.#busy = null;
  }

  async #begin(kind: 'cpu-profile' | 'heap-profile', start: (s: Session) => Promise<void>): Promise<void> {
    this.#claim(kind);
    this.#finished = null;
    try {
      await start(this.#connect());
    } catch (err) {
      this.#release();
      throw new DiagnosticsError('DIAGNOSTICS_FAILED', `${kind} did not start: ${(err as Error).message}`);
    }
    const startedAt = Date.now();
    const timer = setTimeout(() => void this.#autoStop(kind), this.#maxProfileMs);
    timer.unref();
    this.#running = { kind, startedAt, stopsAt: startedAt + this.#maxProfileMs, timer };
  }

  async #autoStop(kind: 'cpu-profile' | 'heap-profile'): Promise<void> {
    const startedAt = this.#running?.startedAt ?? Date.now();
    try {
      const result = kind === 'cpu-profile' ? await this.stopCpuProfile() : await this.stopHeapProfile();
      this.#finished = { kind, startedAt, result };
    } catch {
      // Stopped in between: nothing to keep.
    }
  }

  async #end(kind: 'cpu-profile' | 'heap-profile', stop: (s: Session) => Promise<object>): Promise<object> {
    if (this.#running === null && this.#finished?.kind === kind) {
      const { result } = this.#finished;
      this.#finished = null;
      return result as object;
    }
    if (this.#running?.kind !== kind) throw new DiagnosticsError('DIAGNOSTICS_NOT_RUNNING', `no ${kind} is running`);
    clearTimeout(this.#running.timer);
    this.#running = null;
    try {
      return await stop(this.#connect());
    } catch (err) {
      throw new DiagnosticsError('DIAGNOSTICS_FAILED', `${kind} did not stop cleanly: ${(err as Error).message}`);
    } finally {
      this.#release();
    }
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

const MAIN = { id: 0, name: 'main' };

function mb(n: number): string {
  return (n / 1048576).toFixed(0);
}

function post(s: Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    s.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result)));
  });
}
