import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoggedRequest, RequestLog, RequestLogEvent } from '../../protocol/logs.js';
import type { Redactor } from '../redact.js';
import { type RequestPredicate, RequestIgnores } from '../request-ignores.js';
import { LogsError } from './errors.js';
import { hideMark, readMark } from './mark.js';
import type { ResolvedLogsOptions } from './options.js';
import { type Entry, toLine } from './ring.js';

const START = 'http.server.request.start';
const FINISH = 'http.server.response.finish';

/** A token a page chose: URL-safe, so that it travels in a query, a header or a cookie as it is. */
const TOKEN = /^[A-Za-z0-9._~-]{1,128}$/;

/** A request marked with a watched token: its state and the lines it logged. */
export interface Watched {
  readonly info: LoggedRequest;
  readonly token: string;
  readonly lines: Entry[];
  /** Lines already handed to the listeners. */
  delivered: number;
  bytes: number;
  /** Its response ended: later lines are not its. */
  done: boolean;
  /** Forgotten to stay within the bounds (or nobody watches its token any more). */
  forgotten: boolean;
  readonly startedAt: number;
  req: IncomingMessage | undefined;
}

/** A request logger listener. */
export type RequestLogListener = (event: RequestLogEvent) => void;

/**
 * LiveDashboard's request logger: a request marked with a token someone
 * watches (`mark` option: query parameter, header or cookie) is followed
 * through its asynchronous context, entered from the
 * `http.server.request.start` diagnostics channel (no patching). Lines
 * logged in it are attached to it, and each watcher of its token hears of
 * them, of its start and of its end (`http.server.response.finish`), once
 * per turn of the event loop.
 *
 * While nobody watches, the channels are not subscribed and the
 * AsyncLocalStorage is disabled: nothing runs per request. While someone
 * does, an unmarked request costs `readMark()`'s comparisons.
 */
export class RequestLogger {
  readonly #redact: Redactor;
  readonly #o: ResolvedLogsOptions;
  #als: AsyncLocalStorage<Watched> | undefined;
  /** Listeners by token. */
  readonly #tokens = new Map<string, Set<RequestLogListener>>();
  #listeners = 0;
  /** Kept requests, oldest first. */
  readonly #kept = new Map<string, Watched>();
  #byResponse = new WeakMap<ServerResponse, Watched>();
  #bytes = 0;
  #seq = 0;
  #dropped = 0;
  #listenerErrors = 0;
  readonly #pending = new Set<Watched>();
  #scheduled = false;
  /** Bumped by close(): the unsubscribe functions handed out before it do nothing. */
  #generation = 0;
  /** Requests never followed, marked or not (wobserver's own). */
  readonly #ignores = new RequestIgnores();

  constructor(redact: Redactor, options: ResolvedLogsOptions) {
    this.#redact = redact;
    this.#o = options;
  }

  /** Whether someone watches (then each captured line asks `current()`). */
  get watching(): boolean {
    return this.#listeners > 0;
  }

  /** The watched request whose context runs now, if any and not ended. */
  current(): Watched | undefined {
    const w = this.#als?.getStore();
    return w === undefined || w.done || w.forgotten ? undefined : w;
  }

  /** Attaches a captured line (its `request` already set) to the request it was logged in, within the bounds. */
  attach(w: Watched, e: Entry): void {
    if (w.lines.length >= this.#o.requestLines || this.#bytes + e.size > this.#o.requestBytes) {
      w.info.droppedLines++;
      return;
    }
    w.lines.push(e);
    w.bytes += e.size;
    this.#bytes += e.size;
    this.#changed(w);
  }

  /** See `LogCapture.watchRequests`. */
  watch(token: string, listener: RequestLogListener): () => void {
    if (typeof token !== 'string' || !TOKEN.test(token)) {
      throw new LogsError('INVALID_LOG_TOKEN', `A request logger token must be 1 to 128 of A-Z a-z 0-9 . _ ~ -, got ${JSON.stringify(token)}`);
    }
    if (typeof listener !== 'function') throw new LogsError('INVALID_LOG_LISTENER', `A request logger listener must be a function, got ${typeof listener}`);
    // Each call is its own watcher, even with the same function: its unsubscribe removes only itself.
    const own: RequestLogListener = (e) => listener(e);
    let set = this.#tokens.get(token);
    if (set === undefined) this.#tokens.set(token, (set = new Set()));
    set.add(own);
    if (this.#listeners++ === 0) {
      this.#als ??= new AsyncLocalStorage();
      dc.subscribe(START, this.#onStart);
      dc.subscribe(FINISH, this.#onFinish);
    }
    let released = false;
    const generation = this.#generation;
    return () => {
      // After close() every watcher was let go already.
      if (released || generation !== this.#generation) return;
      released = true;
      set.delete(own);
      if (set.size === 0) this.#unwatchToken(token);
      if (--this.#listeners === 0) this.#stop();
    };
  }

  /** See `LogCapture.ignoreRequests`. */
  ignore(predicate: RequestPredicate): () => void {
    return this.#ignores.add(predicate);
  }

  /** The kept requests of a token (those marked with it since someone watched it), oldest first, with their lines. */
  requests(token: string): RequestLog[] {
    const out: RequestLog[] = [];
    for (const w of this.#kept.values()) if (w.token === token) out.push({ ...w.info, lines: w.lines.map(toLine) });
    return out;
  }

  stats(): { requestWatchers: number; requestsKept: number; requestsDropped: number; listenerErrors: number } {
    return { requestWatchers: this.#listeners, requestsKept: this.#kept.size, requestsDropped: this.#dropped, listenerErrors: this.#listenerErrors };
  }

  /** Every watcher let go, the channels unsubscribed. */
  close(): void {
    this.#generation++;
    for (const token of [...this.#tokens.keys()]) this.#unwatchToken(token);
    if (this.#listeners > 0) {
      this.#listeners = 0;
      this.#stop();
    }
  }

  #unwatchToken(token: string): void {
    this.#tokens.delete(token);
    for (const [id, w] of this.#kept) if (w.token === token) this.#forget(id, w, false);
  }

  #stop(): void {
    dc.unsubscribe(START, this.#onStart);
    dc.unsubscribe(FINISH, this.#onFinish);
    // Turns AsyncLocalStorage's hooks off again (unless another store uses them) and exits every context it entered.
    this.#als?.disable();
    this.#byResponse = new WeakMap();
  }

  #forget(id: string, w: Watched, bound: boolean): void {
    this.#kept.delete(id);
    w.forgotten = true;
    w.req = undefined;
    this.#bytes -= w.bytes;
    if (bound) this.#dropped++;
  }

  // A subscriber that threw would be reported as an uncaught exception: nothing may escape.
  readonly #onStart = (message: unknown): void => {
    try {
      const { request, response, server } = message as { request: IncomingMessage; response: ServerResponse; server: Server };
      const als = this.#als!;
      const token = readMark(request, this.#o.mark);
      if (token === undefined || !this.#tokens.has(token) || this.#ignores.matches(request, server)) {
        // A keep-alive connection's context still holds its previous request: this one is not it.
        if (als.getStore() !== undefined) als.enterWith(undefined as unknown as Watched);
        return;
      }
      this.#begin(als, token, request, response);
    } catch {
      // The request is simply not followed.
    }
  };

  #begin(als: AsyncLocalStorage<Watched>, token: string, request: IncomingMessage, response: ServerResponse): void {
    const id = `${++this.#seq}`;
    const w: Watched = {
      info: {
        id,
        method: request.method ?? '',
        url: this.#redact.url(hideMark(request.url ?? '', this.#o.mark)),
        route: null,
        status: null,
        durationMs: null,
        state: 'in flight',
        startedAt: Date.now(),
        droppedLines: 0,
      },
      token,
      lines: [],
      delivered: 0,
      bytes: 0,
      done: false,
      forgotten: false,
      startedAt: performance.now(),
      req: request,
    };
    this.#kept.set(id, w);
    if (this.#kept.size > this.#o.requests) {
      const [oldId, old] = this.#kept.entries().next().value as [string, Watched];
      this.#forget(oldId, old, true);
    }
    this.#byResponse.set(response, w);
    // The finish channel says nothing of a connection closed before the response ended.
    response.once('close', () => this.#end(w, response));
    als.enterWith(w);
    this.#changed(w);
  }

  readonly #onFinish = (message: unknown): void => {
    try {
      const { response } = message as { response: ServerResponse };
      const w = this.#byResponse.get(response);
      if (w !== undefined) this.#end(w, response);
    } catch {
      // Its end is then seen on 'close'.
    }
  };

  #end(w: Watched, response: ServerResponse): void {
    if (w.done) return;
    w.done = true;
    const info = w.info;
    info.durationMs = performance.now() - w.startedAt;
    info.state = response.writableFinished ? 'finished' : 'aborted';
    info.status = response.headersSent ? response.statusCode : null;
    info.route = w.req === undefined ? null : this.#route(w.req);
    w.req = undefined;
    if (!w.forgotten) this.#changed(w);
  }

  #route(req: IncomingMessage): string | null {
    try {
      if (this.#o.routeOf !== undefined) return this.#o.routeOf(req) ?? null;
      const r = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: unknown };
      const path = r.route?.path;
      if (typeof path !== 'string') return null;
      return `${typeof r.baseUrl === 'string' ? r.baseUrl : ''}${path}`;
    } catch {
      return null;
    }
  }

  #changed(w: Watched): void {
    this.#pending.add(w);
    if (this.#scheduled) return;
    this.#scheduled = true;
    // Outside every request's context: what the listeners log is nobody's request.
    const schedule = (): void => void setImmediate(this.#deliver);
    if (this.#als === undefined) schedule();
    else this.#als.exit(schedule);
  }

  readonly #deliver = (): void => {
    this.#scheduled = false;
    const batch = [...this.#pending];
    this.#pending.clear();
    for (const w of batch) {
      if (w.forgotten) continue;
      const listeners = this.#tokens.get(w.token);
      if (listeners === undefined) continue;
      const event: RequestLogEvent = { request: { ...w.info }, lines: w.lines.slice(w.delivered).map(toLine) };
      w.delivered = w.lines.length;
      for (const l of listeners) {
        try {
          l(event);
        } catch {
          this.#listenerErrors++;
        }
      }
    }
  };
}
