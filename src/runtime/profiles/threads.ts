import { Session } from 'node:inspector';
import type { ThreadRef } from '../../protocol/index.js';
import { OWN_THREAD_PREFIX } from '../own-threads.js';
import { type InspectorTarget, post } from './inspector.js';

/** The main thread. */
export const MAIN_THREAD: ThreadRef = Object.freeze({ id: 0, name: 'main' });

// wobserver's own worker threads (named with OWN_THREAD_PREFIX) are never listed nor profiled.
/** A worker thread's inspector title: `[worker <threadId>] <name>` (no name: `[worker <threadId>]`). */
const TITLE = /^\[worker (\d+)\]\s?(.*)$/;

/**
 * The thread a NodeWorker target names, or undefined for one not to list:
 * Node's own (the module loader's hooks thread runs `node:internal/…`) and
 * wobserver's (named `wobserver-…`).
 */
export function threadOfWorker(info: { title: string; url?: string }): ThreadRef | undefined {
  if (info.url?.startsWith('node:internal/')) return undefined;
  const m = TITLE.exec(info.title);
  if (m === null) return undefined;
  const id = Number(m[1]);
  const name = m[2]!.trim() || `worker ${id}`;
  return name.startsWith(OWN_THREAD_PREFIX) ? undefined : { id, name };
}

interface Attached {
  thread: ThreadRef;
  sessionId: string;
  /** Called once when the worker goes away (exited, or NodeWorker was disabled). */
  gone: Set<() => void>;
}

interface AttachedParams {
  sessionId: string;
  workerInfo: { title: string; url?: string };
}

/**
 * The worker threads of this process, reached from the main thread through the
 * inspector's NodeWorker domain, without their cooperation. NodeWorker is on
 * only while someone holds it (`acquire()`/`release()`, reference-counted) or
 * for `lingerMs` after a `list()` (a page that reads it each second keeps it
 * on; nobody watching, it goes off): its own session is connected then, and
 * disconnected (detaching every worker) when the last holder lets go.
 * Measured here (Node 20, 4 workers): one enable/disable cycle costs about
 * 0.3 ms, a list while enabled microseconds, and keeping it enabled nothing
 * measurable at rest (bench/profiles.ts).
 * Only the main thread's direct workers are seen (not workers' workers), and
 * neither Node's internal threads nor wobserver's own.
 */
export class WorkerThreads {
  readonly #lingerMs: number;
  #linger: NodeJS.Timeout | undefined;
  #session: Session | undefined;
  #ready: Promise<void> | undefined;
  #holders = 0;
  #nextId = 0;
  readonly #bySession = new Map<string, Attached>();
  readonly #pending = new Map<number, { sessionId: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  /** `lingerMs`: how long NodeWorker stays on after the last `list()`. Default: 15000. */
  constructor(o: { lingerMs?: number } = {}) {
    this.#lingerMs = o.lingerMs ?? 15_000;
  }

  /** The main thread and the live worker threads, wobserver's own and Node's left out. */
  async list(): Promise<ThreadRef[]> {
    await this.acquire();
    const threads = [MAIN_THREAD, ...[...this.#bySession.values()].map((a) => a.thread).sort((a, b) => a.id - b.id)];
    // This hold becomes the lingering one; the previous lingering hold, if any, goes.
    if (this.#linger === undefined) this.#holders++;
    else clearTimeout(this.#linger);
    this.release();
    this.#linger = setTimeout(() => {
      this.#linger = undefined;
      this.release();
    }, this.#lingerMs);
    this.#linger.unref();
    return threads;
  }

  /** Whether NodeWorker is on (a holder, or a recent `list()`). */
  get on(): boolean {
    return this.#session !== undefined;
  }

  /** Turns NodeWorker off now, whoever holds it. */
  close(): void {
    clearTimeout(this.#linger);
    this.#linger = undefined;
    this.#holders = 1;
    this.release();
  }

  /** Turns NodeWorker on (once for all holders); pair with `release()`. */
  async acquire(): Promise<void> {
    this.#holders++;
    try {
      if (this.#ready === undefined) {
        const s = new Session();
        s.on('NodeWorker.attachedToWorker', (m: { params: AttachedParams }) => this.#attached(m.params));
        s.on('NodeWorker.detachedFromWorker', (m: { params: { sessionId: string } }) => this.#detached(m.params.sessionId));
        s.on('NodeWorker.receivedMessageFromWorker', (m: { params: { sessionId: string; message: string } }) => this.#received(m.params.message));
        // Throws when this Node has no inspector: the hold is given back below.
        s.connect();
        this.#session = s;
        // Every live worker is attached (its event emitted) before this answers.
        this.#ready = post(s, 'NodeWorker.enable', { waitForDebuggerOnStart: false }).then(() => undefined);
      }
      await this.#ready;
    } catch (err) {
      this.release();
      throw err;
    }
  }

  /** Lets go of NodeWorker; the last holder's release detaches every worker. */
  release(): void {
    if (this.#holders === 0 || --this.#holders > 0) return;
    const s = this.#session;
    this.#session = undefined;
    this.#ready = undefined;
    for (const id of [...this.#bySession.keys()]) this.#detached(id);
    s?.disconnect();
  }

  /**
   * A held worker thread as an inspector target, or undefined when there is
   * none of that id (gone, never existed, or one of wobserver's own).
   * `onGone` runs once if the worker goes away while held.
   */
  target(threadId: number, onGone?: () => void): (InspectorTarget & { thread: ThreadRef; dispose(): void }) | undefined {
    const a = [...this.#bySession.values()].find((x) => x.thread.id === threadId);
    if (a === undefined) return undefined;
    if (onGone !== undefined) a.gone.add(onGone);
    return {
      thread: a.thread,
      post: (method, params) => this.#send(a.sessionId, method, params),
      dispose: () => void (onGone !== undefined && a.gone.delete(onGone)),
    };
  }

  #attached(p: AttachedParams): void {
    const thread = threadOfWorker(p.workerInfo);
    if (thread === undefined) {
      // Not a thread we profile: let it go at once.
      if (this.#session !== undefined) post(this.#session, 'NodeWorker.detach', { sessionId: p.sessionId }).catch(() => undefined);
      return;
    }
    this.#bySession.set(p.sessionId, { thread, sessionId: p.sessionId, gone: new Set() });
  }

  #detached(sessionId: string): void {
    const a = this.#bySession.get(sessionId);
    if (a === undefined) return;
    this.#bySession.delete(sessionId);
    for (const [id, p] of this.#pending) {
      if (p.sessionId !== sessionId) continue;
      this.#pending.delete(id);
      p.reject(new Error(`worker thread ${a.thread.id} is gone`));
    }
    for (const f of a.gone) {
      try {
        f();
      } catch {
        // A holder's callback never breaks the others.
      }
    }
  }

  #send(sessionId: string, method: string, params?: object): Promise<unknown> {
    const s = this.#session;
    if (s === undefined || !this.#bySession.has(sessionId)) return Promise.reject(new Error('the worker thread is gone'));
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { sessionId, resolve, reject });
      post(s, 'NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params: params ?? {} }) }).catch((err: Error) => {
        this.#pending.delete(id);
        reject(err);
      });
    });
  }

  #received(message: string): void {
    let m: { id?: unknown; result?: unknown; error?: { message?: string } };
    try {
      m = JSON.parse(message) as typeof m;
    } catch {
      return;
    }
    // Events of the worker's domains (no id) are not asked for: ignored.
    if (typeof m.id !== 'number') return;
    const p = this.#pending.get(m.id);
    if (p === undefined) return;
    this.#pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(m.error.message ?? 'inspector error'));
    else p.resolve(m.result);
  }
}
