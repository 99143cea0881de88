import type { LogLevel, LogSource, LogsInfo, LogsQuery, LogsStats, RequestLog, RequestLoggerInfo } from '../../protocol/logs.js';
import type { Redactor } from '../redact.js';
import type { RequestPredicate } from '../request-ignores.js';
import { ConsoleCapture } from './console.js';
import { isLogLevel } from './levels.js';
import { type LogsOptions, type ResolvedLogsOptions, resolveLogsOptions } from './options.js';
import { type PinoDestination, type PinoTarget, createPinoDestination } from './pino.js';
import { type RequestLogListener, RequestLogger } from './requests.js';
import { type Entry, LogRing } from './ring.js';
import type { LineSink, Origin } from './sink.js';
import { StreamCapture } from './streams.js';
import { WinstonTransport } from './winston.js';

/** Tokens `follow` watches at once. */
const MAX_FOLLOWED = 20;

/** ANSI escape sequences (colours, cursor moves): left out of what is kept. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * The process's log output, captured into a bounded ring and, for requests
 * marked with a watched token, handed to the request logger's watchers
 * ([docs/logs.md](../../../docs/logs.md)).
 *
 * Nothing is captured before `start()` or after `close()`. Every message is
 * redacted as text and every field deep (`redactor.text`, `redactor.deep`)
 * before it is kept. Capturing never throws into the application and
 * changes nothing of what it writes: each wrapped call goes on first, with
 * its arguments, and its result is returned as it was.
 *
 * ```ts
 * const logs = new LogCapture(observer.redactor, { lines: 5000 });
 * logs.start();
 * const log = pino(logs.pinoDestination());           // pino: writes on to stdout, and is captured
 * winston.createLogger({ transports: [new winston.transports.Console(), logs.winstonTransport()] });
 * const page = logs.since(undefined, { level: 'warn', search: 'timeout' });
 * const stop = logs.watchRequests('k3y', (e) => send(e)); // requests with ?wobserver_logger=k3y
 * ```
 */
export class LogCapture {
  readonly #redact: Redactor;
  readonly #o: ResolvedLogsOptions;
  readonly #ring: LogRing;
  readonly #requests: RequestLogger;
  readonly #origin: Origin = { console: null, claimed: false, skip: 0 };
  readonly #sink: LineSink;
  #active = false;
  #console: ConsoleCapture | undefined;
  #stdout: StreamCapture | undefined;
  #stderr: StreamCapture | undefined;
  #captured = 0;
  #truncated = 0;
  #errors = 0;
  /** Tokens watched for a reader that polls (`follow`), each until its lease runs out. */
  readonly #follows = new Map<string, { stop: () => void; timer: NodeJS.Timeout | undefined }>();

  /** A bad option throws an `OptionError` naming it. */
  constructor(redactor: Redactor, options: LogsOptions = {}) {
    this.#redact = redactor;
    this.#o = resolveLogsOptions(options);
    this.#ring = new LogRing(this.#o.lines, this.#o.bytes);
    this.#requests = new RequestLogger(redactor, this.#o);
    const sources = this.#o.sources;
    this.#sink = {
      origin: this.#origin,
      wants: (source) => this.#active && sources.has(source),
      accept: (source, level, message, fields, time) => this.#accept(source, level, message, fields, time),
      failed: () => void this.#errors++,
    };
  }

  /** Whether capture runs (between `start()` and `close()`). */
  get capturing(): boolean {
    return this.#active;
  }

  /**
   * Starts capturing the `sources` option's sources: wraps `console.log`,
   * `info`, `debug`, `warn`, `error` and `process.stdout.write`,
   * `process.stderr.write` (as far as those sources need). A pino logger
   * created after this without a destination finds stdout wrapped and
   * writes through it: its lines are captured as pino's. Idempotent.
   */
  start(): void {
    if (this.#active) return;
    this.#active = true;
    const s = this.#o.sources;
    if (s.has('console')) (this.#console ??= new ConsoleCapture(console, this.#sink)).start();
    if (s.has('console') || s.has('stdout') || s.has('pino')) (this.#stdout ??= new StreamCapture(process.stdout, 'stdout', this.#sink, this.#o.lineLength)).start();
    if (s.has('console') || s.has('stderr') || s.has('pino')) (this.#stderr ??= new StreamCapture(process.stderr, 'stderr', this.#sink, this.#o.lineLength)).start();
  }

  /**
   * Stops capturing and puts back every method it replaced, exactly as it
   * was; a method someone replaced after `start()` keeps theirs (ours, under
   * it, then only passes calls on). A partial line waiting for its end is
   * kept as it is. The request logger's watchers are let go. The ring stays
   * readable; `start()` again resumes. Idempotent.
   */
  close(): void {
    for (const f of this.#follows.values()) clearTimeout(f.timer);
    this.#follows.clear();
    this.#requests.close();
    if (!this.#active) return;
    this.#console?.close();
    this.#stdout?.close();
    this.#stderr?.close();
    this.#active = false;
  }

  /**
   * The Logs page: the lines after `seq` (oldest first) that match the
   * query, or without `seq` the newest ones, and the ring's state. Cheap on
   * a full ring: at most 20,000 lines are examined per call (`more` says
   * when to ask again at once).
   *
   * @example
   * let page = logs.since(undefined, { limit: 100 }); // the tail
   * page = logs.since(page.next);                     // what came since
   */
  since(seq?: number, query: Omit<LogsQuery, 'since'> = {}): LogsInfo {
    const level = isLogLevel(query.level) ? query.level : undefined;
    const page = this.#ring.since(seq, { level, search: typeof query.search === 'string' ? query.search : undefined, limit: query.limit });
    return { ...page, ring: this.#ring.state(), capturing: this.#active, sources: [...this.#o.sources] };
  }

  /** The counters: the ring's bounds and drops, lines captured, cut and lost, the request logger's watchers and requests. */
  stats(): LogsStats {
    return { ...this.#ring.state(), captured: this.#captured, truncated: this.#truncated, errors: this.#errors, ...this.#requests.stats() };
  }

  /**
   * A destination for pino: `pino(options, logs.pinoDestination())`. Each
   * line goes on to `target` first (default 1: `process.stdout`; 2:
   * `process.stderr`; a stream such as `pino.destination('/var/log/app.log')`;
   * null: nowhere), then is captured with pino's level, `msg` and fields
   * (while capture runs and `pino` is a source). A bad target throws
   * `LogsError` `INVALID_LOG_DESTINATION`.
   */
  pinoDestination(target: PinoTarget = 1): PinoDestination {
    return createPinoDestination(this.#sink, target);
  }

  /**
   * A winston transport: `logger.add(logs.winstonTransport())`. `level`: the
   * least serious of the logger's levels it captures (default: every entry
   * that reaches it). Entries the logger's other transports print to stdout
   * or stderr are not captured a second time.
   */
  winstonTransport(options: { level?: string } = {}): WinstonTransport {
    return new WinstonTransport(this.#sink, options);
  }

  /**
   * The request logger: `listener` hears of every request marked with
   * `token` (by the `mark` option's query parameter, header or cookie) from
   * now on — its start, the lines logged in its asynchronous context (across
   * `await`s, timers and callbacks) and its end with status and duration —
   * once per turn of the event loop, never inside the application's call.
   * Lines are captured only while capture runs (`start()`). Returns the
   * function that stops listening; the HTTP channels are subscribed while
   * at least one listener exists. A bad token or listener throws
   * `LogsError` (`INVALID_LOG_TOKEN`, `INVALID_LOG_LISTENER`).
   *
   * @example
   * const stop = logs.watchRequests('k3y', ({ request, lines }) => show(request.url, request.status, lines));
   * // curl 'localhost:3000/orders?wobserver_logger=k3y'  or  -H 'x-wobserver-logger: k3y'
   */
  watchRequests(token: string, listener: RequestLogListener): () => void {
    return this.#requests.watch(token, listener);
  }

  /**
   * Never follows the requests `predicate` names, marked or not: wobserver's
   * own (under its prefix, or its standalone server's), which a browser that
   * set the mark's cookie would otherwise mark too. Returns the remover; a
   * predicate that throws leaves that request unfollowed.
   */
  ignoreRequests(predicate: RequestPredicate): () => void {
    return this.#requests.ignore(predicate);
  }

  /**
   * The Request logger page, for a reader that polls: watches `token` for
   * `ms` more (default 15 s, renewed by each call; at most 20 tokens so
   * followed, the least recently asked let go first) and answers the mark's
   * names and the token's kept requests with their lines. A bad token
   * throws `LogsError` `INVALID_LOG_TOKEN`.
   */
  follow(token: string, ms = 15_000): RequestLoggerInfo {
    let lease = this.#follows.get(token);
    if (lease === undefined) {
      lease = { stop: this.watchRequests(token, () => undefined), timer: undefined };
      if (this.#follows.size >= MAX_FOLLOWED) {
        const [oldest, first] = this.#follows.entries().next().value as [string, { stop: () => void; timer: NodeJS.Timeout | undefined }];
        clearTimeout(first.timer);
        this.#follows.delete(oldest);
        first.stop();
      }
    } else {
      clearTimeout(lease.timer);
      this.#follows.delete(token);
    }
    const own = lease;
    own.timer = setTimeout(() => {
      if (this.#follows.get(token) !== own) return;
      this.#follows.delete(token);
      own.stop();
    }, ms);
    own.timer.unref();
    this.#follows.set(token, own);
    const m = this.#o.mark;
    return { token, mark: { param: m.param, header: m.header, cookie: m.cookie }, capturing: this.#active, requests: this.requests(token) };
  }

  /** The requests marked with a watched `token` that are kept (the `requests` option's bound), oldest first, with their lines: for a reader that polls. */
  requests(token: string): RequestLog[] {
    return this.#requests.requests(token);
  }

  #accept(source: LogSource, level: LogLevel | null, message: string, fields: Record<string, unknown> | null, time: number | undefined): void {
    if (!this.#active) return;
    try {
      const max = this.#o.lineLength;
      let truncated = false;
      // Cut loosely before redacting (a secret across the final cut is still whole here), and at the bound after.
      let text = message.length > 2 * max ? message.slice(0, 2 * max) : message;
      if (text.includes('\u001b')) text = text.replace(ANSI, '');
      text = this.#redact.text(text);
      if (text.length > max || message.length > 2 * max) {
        text = text.slice(0, max);
        truncated = true;
      }
      let json: string | null = null;
      if (fields !== null) {
        json = JSON.stringify(this.#redact.deep(fields)) ?? null;
        if (json !== null && json.length > max) {
          json = JSON.stringify({ '[truncated]': json.slice(0, max) });
          truncated = true;
        }
      }
      let size = Buffer.byteLength(text) + (json === null ? 0 : Buffer.byteLength(json));
      if (size > this.#ring.maxBytes) {
        // A line bigger than the whole ring: what fits of its text (4 bytes a character at most), without its fields.
        text = text.slice(0, Math.floor(this.#ring.maxBytes / 4));
        json = null;
        truncated = true;
        size = Buffer.byteLength(text);
      }
      const w = this.#requests.watching ? this.#requests.current() : undefined;
      const e: Entry = { seq: 0, time: time ?? Date.now(), level, source, message: text, fields: json, request: w === undefined ? null : w.info.id, truncated, size };
      this.#ring.add(e);
      this.#captured++;
      if (truncated) this.#truncated++;
      if (w !== undefined) this.#requests.attach(w, e);
    } catch {
      this.#errors++;
    }
  }
}
