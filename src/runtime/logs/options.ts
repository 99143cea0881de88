import type { IncomingMessage } from 'node:http';
import { OptionError } from '../../metrics/errors.js';
import type { LogSource } from '../../protocol/logs.js';

/** Every source, in the order the docs list them. */
export const LOG_SOURCES: readonly LogSource[] = ['console', 'stdout', 'stderr', 'pino', 'winston'];

/**
 * How a request is marked for the request logger: a query parameter, a
 * header or a cookie of this name whose value is the token a watcher chose.
 * `false` turns one way off.
 */
export interface RequestMarkOptions {
  /** Query parameter. Default: `wobserver_logger`. */
  param?: string | false;
  /** Header (any case). Default: `x-wobserver-logger`. */
  header?: string | false;
  /** Cookie. Default: `wobserver_logger`. */
  cookie?: string | false;
}

/**
 * The log capture ([docs/logs.md](../../../docs/logs.md)).
 *
 * ```ts
 * const logs = new LogCapture(redactor, { lines: 5000, sources: ['console', 'pino'] });
 * ```
 */
export interface LogsOptions {
  /** Lines kept in the ring (1–1,000,000). Default: 10,000. */
  lines?: number;
  /** UTF-8 bytes of the kept lines' messages and fields (1 KiB–1 GiB). Default: 8 MiB. */
  bytes?: number;
  /** Characters of one message kept; a longer one is cut and marked `truncated` (80–1,048,576). Default: 16,384. */
  lineLength?: number;
  /** What is captured. Default: all of `console`, `stdout`, `stderr`, `pino`, `winston` (pino and winston only through `pinoDestination()` and `winstonTransport()`, or pino's JSON on stdout). */
  sources?: readonly LogSource[];
  /** The request logger's mark. Default: param and cookie `wobserver_logger`, header `x-wobserver-logger`. */
  mark?: RequestMarkOptions;
  /** Watched requests kept at most, across all tokens; the oldest is forgotten first (1–10,000). Default: 50. */
  requests?: number;
  /** Lines kept per watched request; later ones are counted in its `droppedLines` (1–100,000). Default: 1,000. */
  requestLines?: number;
  /** Bytes of the lines kept across all watched requests (1 KiB–1 GiB). Default: 4 MiB. */
  requestBytes?: number;
  /**
   * A finished request's route template, for the request logger; undefined or
   * null: unknown. Default: Express's `req.baseUrl + req.route.path` when present.
   * Called once per watched request; if it throws, the route is null.
   */
  routeOf?: (req: IncomingMessage) => string | null | undefined;
}

/** The mark's names resolved: null where that way is off; the header in lower case. */
export interface ResolvedMark {
  param: string | null;
  header: string | null;
  cookie: string | null;
}

/** Every option with its default. */
export interface ResolvedLogsOptions {
  lines: number;
  bytes: number;
  lineLength: number;
  sources: ReadonlySet<LogSource>;
  mark: ResolvedMark;
  requests: number;
  requestLines: number;
  requestBytes: number;
  routeOf: ((req: IncomingMessage) => string | null | undefined) | undefined;
}

/** The defaults, declared once (docs and config list these). */
export const LOGS_DEFAULTS = Object.freeze({
  lines: 10_000,
  bytes: 8 * 1024 * 1024,
  lineLength: 16_384,
  sources: LOG_SOURCES,
  mark: Object.freeze({ param: 'wobserver_logger', header: 'x-wobserver-logger', cookie: 'wobserver_logger' }),
  requests: 50,
  requestLines: 1000,
  requestBytes: 4 * 1024 * 1024,
});

/** A header's, a parameter's or a cookie's name: an HTTP token. */
const NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

/** Fills in the defaults; a bad value throws an OptionError naming it. */
export function resolveLogsOptions(o: LogsOptions = {}): ResolvedLogsOptions {
  const d = LOGS_DEFAULTS;
  const sources = o.sources ?? d.sources;
  if (!Array.isArray(sources) || sources.some((s) => !LOG_SOURCES.includes(s))) throw bad('sources', sources, `a list of ${LOG_SOURCES.join(', ')}`);
  if (o.routeOf !== undefined && typeof o.routeOf !== 'function') throw bad('routeOf', o.routeOf, 'a function');
  const m = o.mark ?? {};
  if (m === null || typeof m !== 'object') throw bad('mark', m, 'an object');
  return {
    lines: int('lines', o.lines ?? d.lines, 1, 1_000_000),
    bytes: int('bytes', o.bytes ?? d.bytes, 1024, 1024 ** 3),
    lineLength: int('lineLength', o.lineLength ?? d.lineLength, 80, 1024 * 1024),
    sources: new Set(sources),
    mark: {
      param: name('mark.param', m.param ?? d.mark.param),
      header: name('mark.header', m.header ?? d.mark.header)?.toLowerCase() ?? null,
      cookie: name('mark.cookie', m.cookie ?? d.mark.cookie),
    },
    requests: int('requests', o.requests ?? d.requests, 1, 10_000),
    requestLines: int('requestLines', o.requestLines ?? d.requestLines, 1, 100_000),
    requestBytes: int('requestBytes', o.requestBytes ?? d.requestBytes, 1024, 1024 ** 3),
    routeOf: o.routeOf,
  };
}

function name(option: string, v: unknown): string | null {
  if (v === false) return null;
  if (typeof v !== 'string' || !NAME.test(v)) throw bad(option, v, 'false or a name of 1 to 64 letters, digits and !#$%&\'*+.^_`|~-');
  return v;
}

function int(option: string, v: unknown, min: number, max: number): number {
  if (!(Number.isInteger(v) && (v as number) >= min && (v as number) <= max)) throw bad(option, v, `an integer from ${min} to ${max}`);
  return v as number;
}

function bad(option: string, v: unknown, what: string): OptionError {
  return new OptionError(`Option logs.${option} must be ${what}, got ${typeof v === 'function' ? 'a function' : JSON.stringify(v)}`);
}
