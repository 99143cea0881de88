import type { ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import dc from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { isOwnThread } from './own-threads.js';
import type { Redactor } from './redact.js';
import type { SocketTracker } from './sockets.js';
import type { WorkerRow, ChildRow, ClusterWorkerRow, RequestRow, RequestDetail, ProcessesInfo, ProcessDetail } from '../protocol/index.js';
export type { MainRow, WorkerRow, ChildRow, ClusterWorkerRow, RequestRow, RequestDetail, ProcessesInfo, ProcessDetail } from '../protocol/index.js';

/** Where a request's start time is stamped while someone watches. */
const STARTED = Symbol('wobserver.started');
type Stamped = IncomingMessage & { [STARTED]?: number };

const KEEP_EXITED = 50;
/** Requests whose detail was read, kept after they end: at most this many, for this long. */
const KEEP_ENDED = 50;
const KEEP_ENDED_MS = 10 * 60_000;

/** A request whose detail was read: its last state, and once it ended, when and how. */
interface Kept {
  detail: RequestDetail;
  startedAt: number;
  endedAt?: number;
}

/**
 * Follows the execution units of the process — worker threads (the process
 * 'worker' event), child processes (the `child_process` diagnostics channel)
 * and HTTP requests in flight — without patching anything. Requests in
 * flight are found when the page is read, as the response each open server
 * socket is writing; nothing is kept per request. While someone watches
 * (`watchRequests()`), each request's start time is stamped on it (the
 * `http.server.request.start` channel) so that its age is exact. Bounded: only
 * running children and the last 50 that exited are kept.
 */
export class ProcessTracker {
  readonly #redact: Redactor;
  #workers = new Map<Worker, { started: number; online: boolean }>();
  #children = new Map<ChildProcess, { started: number; exitedAt?: number }>();
  readonly #sockets: SocketTracker | undefined;
  /** A number and the time first seen, for requests found in flight. */
  #seen = new WeakMap<IncomingMessage, { n: number; at: number }>();
  #seq = 0;
  /** Requests whose detail someone read, by id, oldest first. */
  #kept = new Map<string, Kept>();
  #started = false;
  #watchers = 0;

  /** `sockets`: the tracker whose server sockets are searched for requests in flight (none: no requests listed). */
  constructor(redact: Redactor, sockets?: SocketTracker) {
    this.#redact = redact;
    this.#sockets = sockets;
  }

  readonly #onWorker = (w: Worker): void => {
    if (isOwnThread(w)) return;
    const entry = { started: performance.now(), online: false };
    this.#workers.set(w, entry);
    w.once('online', () => (entry.online = true));
    w.once('exit', () => this.#workers.delete(w));
  };

  readonly #onChild = (message: unknown): void => {
    const child = (message as { process?: ChildProcess }).process;
    if (child === undefined) return;
    const entry: { started: number; exitedAt?: number } = { started: performance.now() };
    this.#children.set(child, entry);
    child.once('exit', () => {
      entry.exitedAt = performance.now();
      const exited = [...this.#children].filter(([, e]) => e.exitedAt !== undefined);
      for (const [c] of exited.slice(0, Math.max(0, exited.length - KEEP_EXITED))) this.#children.delete(c);
    });
  };

  readonly #onRequest = (message: unknown): void => {
    (message as { request: Stamped }).request[STARTED] = performance.now();
  };

  /** Stamps each request's start time while at least one watcher holds it (a small cost per request); returns the function that lets go. */
  watchRequests(): () => void {
    if (this.#watchers++ === 0) dc.subscribe('http.server.request.start', this.#onRequest);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#watchers === 0) dc.unsubscribe('http.server.request.start', this.#onRequest);
    };
  }

  /** The HTTP requests being answered now: the response each open server socket is writing. */
  #inFlight(): { n: number; req: Stamped; socket: Socket; seen: number }[] {
    const out: { n: number; req: Stamped; socket: Socket; seen: number }[] = [];
    if (this.#sockets === undefined) return out;
    const now = performance.now();
    for (const socket of this.#sockets.live) {
      const res = (socket as Socket & { _httpMessage?: unknown })._httpMessage;
      if (!(res instanceof ServerResponse) || res.writableFinished) continue;
      const req = (res as ServerResponse & { req?: IncomingMessage }).req;
      if (req === undefined) continue;
      let seen = this.#seen.get(req);
      if (seen === undefined) {
        seen = { n: ++this.#seq, at: now };
        this.#seen.set(req, seen);
      }
      out.push({ n: seen.n, req, socket, seen: seen.at });
    }
    return out.sort((a, b) => a.n - b.n);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    process.on('worker', this.#onWorker);
    dc.subscribe('child_process', this.#onChild);
  }

  stop(): void {
    if (!this.#started) return;
    this.#started = false;
    process.off('worker', this.#onWorker);
    dc.unsubscribe('child_process', this.#onChild);
    if (this.#watchers > 0) {
      this.#watchers = 0;
      dc.unsubscribe('http.server.request.start', this.#onRequest);
    }
  }

  /** The Processes page: one row per execution unit, and the requests in flight. */
  list(): ProcessesInfo {
    const mem = process.memoryUsage();
    return {
      main: {
        id: 'main',
        kind: 'main',
        pid: process.pid,
        threadId: 0,
        eventLoopUtilization: performance.eventLoopUtilization().utilization,
        heapUsed: mem.heapUsed,
        rss: mem.rss,
        ageMs: process.uptime() * 1000,
      },
      workers: [...this.#workers].map(([w, e]) => this.#worker(w, e)),
      children: [...this.#children].map(([c, e]) => this.#child(c, e)),
      clusterWorkers: clusterWorkers(),
      requests: this.#inFlight().map((r) => this.#request(r)),
      requestsTracked: this.#watchers > 0,
    };
  }

  /** Everything known about one row, by its id; undefined when there is no such unit (any more). */
  detail(id: string): ProcessDetail | undefined {
    if (id === 'main') return { ...this.list().main, execArgv: this.#redact.argv(process.execArgv), versions: versions() };
    for (const [w, e] of this.#workers) {
      if (`worker:${w.threadId}` === id) {
        return { ...this.#worker(w, e), stack: null, note: 'Node 20 cannot give a running worker\'s stack without attaching an inspector to it' };
      }
    }
    for (const [c, e] of this.#children) {
      const row = this.#child(c, e);
      if (row.id === id) return { ...row, status: c.pid === undefined ? null : procStatus(c.pid) };
    }
    const cw = clusterWorkers().find((w) => w.id === id);
    if (cw !== undefined) return cw;
    for (const r of this.#inFlight()) {
      if (`request:${r.n}` === id) return this.#keep(r);
    }
    return this.#ended(id);
  }

  /** A request's detail in flight, remembered (with a listener for its end) so that it outlives the request. */
  #keep(r: { n: number; req: Stamped; socket: Socket; seen: number }): RequestDetail {
    const res = (r.socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    const row = this.#request(r);
    const detail: RequestDetail = {
      ...row,
      httpVersion: r.req.httpVersion,
      headers: this.#redact.headers(r.req.headers),
      state: 'in flight',
      statusCode: res?.headersSent ? res.statusCode : null,
      endedAgoMs: null,
    };
    const kept = this.#kept.get(row.id);
    if (kept !== undefined) {
      kept.detail = detail;
      return detail;
    }
    const entry: Kept = { detail, startedAt: performance.now() - row.ageMs };
    this.#kept.set(row.id, entry);
    if (this.#kept.size > KEEP_ENDED) this.#kept.delete(this.#kept.keys().next().value as string);
    const end = (): void => {
      if (entry.endedAt !== undefined) return;
      entry.endedAt = performance.now();
      const finished = res?.writableFinished === true;
      entry.detail = {
        ...entry.detail,
        state: finished ? 'finished' : 'aborted',
        statusCode: res?.headersSent ? res.statusCode : entry.detail.statusCode,
        bytesRead: r.socket.bytesRead,
        bytesWritten: r.socket.bytesWritten,
      };
    };
    res?.once('finish', end);
    res?.once('close', end);
    return detail;
  }

  /** The last state of a request that ended after its detail was read; undefined when unknown or forgotten. */
  #ended(id: string): RequestDetail | undefined {
    const now = performance.now();
    for (const [k, e] of this.#kept) if (e.endedAt !== undefined && now - e.endedAt > KEEP_ENDED_MS) this.#kept.delete(k);
    const e = this.#kept.get(id);
    if (e === undefined) return undefined;
    // Seen in flight last time but not now: it ended, whether or not its listener ran yet.
    const endedAt = e.endedAt ?? now;
    const state = e.endedAt === undefined ? 'finished' : e.detail.state;
    return { ...e.detail, state, ageMs: endedAt - e.startedAt, endedAgoMs: now - endedAt };
  }

  #worker(w: Worker, e: { started: number; online: boolean }): WorkerRow {
    let elu: number | null = null;
    try {
      elu = e.online ? w.performance.eventLoopUtilization().utilization : null;
    } catch {
      elu = null;
    }
    const limits = Object.fromEntries(Object.entries(w.resourceLimits ?? {}).filter((x): x is [string, number] => typeof x[1] === 'number'));
    return { id: `worker:${w.threadId}`, kind: 'worker', threadId: w.threadId, online: e.online, eventLoopUtilization: elu, resourceLimits: limits, ageMs: performance.now() - e.started };
  }

  #child(c: ChildProcess, e: { started: number; exitedAt?: number }): ChildRow {
    const running = e.exitedAt === undefined && c.exitCode === null && c.signalCode === null;
    const os = running && c.pid !== undefined ? procStat(c.pid) : undefined;
    return {
      id: `child:${c.pid ?? `unspawned-${e.started}`}`,
      kind: 'child',
      pid: c.pid ?? null,
      command: this.#redact.argv(c.spawnargs ?? []),
      running,
      exitCode: c.exitCode,
      signal: c.signalCode,
      state: os?.state ?? null,
      cpuSeconds: os?.cpuSeconds ?? null,
      rss: os?.rss ?? null,
      ageMs: (e.exitedAt ?? performance.now()) - e.started,
    };
  }

  #request(r: { n: number; req: Stamped; socket: Socket; seen: number }): RequestRow {
    const started = r.req[STARTED];
    return {
      id: `request:${r.n}`,
      kind: 'request',
      method: r.req.method ?? '',
      url: this.#redact.url(r.req.url ?? ''),
      ageMs: performance.now() - (started ?? r.seen),
      ageExact: started !== undefined,
      remoteAddress: r.socket.remoteAddress ?? null,
      bytesRead: r.socket.bytesRead,
      bytesWritten: r.socket.bytesWritten,
    };
  }
}

/** The workers of Node's cluster module, seen from the primary. */
function clusterWorkers(): ClusterWorkerRow[] {
  if (!cluster.isPrimary) return [];
  return Object.values(cluster.workers ?? {})
    .filter((w): w is NonNullable<typeof w> => w !== undefined)
    .map((w) => ({
      id: `cluster:${w.id}`,
      kind: 'cluster-worker' as const,
      workerId: w.id,
      pid: w.process.pid ?? null,
      state: (w as unknown as { state?: string }).state ?? 'unknown',
    }));
}

const CLK_TCK = 100;

function procStat(pid: number): { state: string; cpuSeconds: number; rss: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = procStatus(pid);
    const rssKb = Number(/(\d+)/.exec(status?.VmRSS ?? '')?.[1] ?? 0);
    return { state: fields[0] ?? '?', cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLK_TCK, rss: rssKb * 1024 };
  } catch {
    return undefined;
  }
}

function procStatus(pid: number): Record<string, string> | null {
  try {
    const out: Record<string, string> = {};
    for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
    }
    return out;
  } catch {
    return null;
  }
}

/** The versions of Node and its parts (a name without a version is left out). */
function versions(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.versions).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
