/** How serious a line is, from the least: pino's and syslog's names folded onto these six. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Where a line was captured: a `console.*` call, a direct write to
 * `process.stdout` or `process.stderr`, pino (through wobserver's destination,
 * or its JSON seen on stdout) or winston (through wobserver's transport).
 */
export type LogSource = 'console' | 'stdout' | 'stderr' | 'pino' | 'winston';

/** One captured line, JSON-safe, its text and fields already redacted. */
export interface LogLine {
  /** Increases by one per line captured in this process (a line dropped by the ring leaves a gap). */
  seq: number;
  /** When it was captured, ms since the epoch (pino's own `time` when it gave a number). */
  time: number;
  /** Its level; null when the source does not say (a bare write to stdout or stderr). */
  level: LogLevel | null;
  source: LogSource;
  /** The text: what `console.*` printed, the line written, pino's `msg`, winston's `message` (ANSI colours removed, secrets redacted). */
  message: string;
  /** Pino's and winston's other fields (bindings, merged objects, errors), redacted; null for text-only lines. */
  fields: Record<string, unknown> | null;
  /** The request logger's id of the watched request it was logged in; null outside one. */
  request: string | null;
  /** The message was longer than the `lineLength` option and was cut. */
  truncated: boolean;
}

/** What the Logs page asks: lines after a seq, filtered. Strings on the wire (a query string), parsed by the server. */
export interface LogsQuery {
  /** Lines after this seq, oldest first; omitted (or beyond the newest: another process's seq): the newest `limit` lines (a live tail's first read). */
  since?: number;
  /** Only lines at this level or above (lines whose level is unknown are then left out). */
  level?: LogLevel;
  /** Only lines whose message or fields hold this text, ignoring case. */
  search?: string;
  /** Lines answered at most (1–1000). Default: 200. */
  limit?: number;
}

/** The ring's bounds and what it dropped. */
export interface LogRingState {
  /** Seq of the oldest line kept; `lastSeq + 1` when the ring is empty. */
  firstSeq: number;
  /** Seq of the newest line captured so far (0 before the first). */
  lastSeq: number;
  /** Lines kept now. */
  lines: number;
  /** UTF-8 bytes of the kept lines' messages and fields. */
  bytes: number;
  /** The `lines` option: lines kept at most. */
  maxLines: number;
  /** The `bytes` option: bytes kept at most. */
  maxBytes: number;
  /** Lines dropped to make room since the capture was created, oldest first. */
  droppedLines: number;
  /** Their bytes. */
  droppedBytes: number;
}

/** The Logs page: a page of lines and the ring's state. */
export interface LogsInfo {
  /** The lines that matched, oldest first. */
  lines: LogLine[];
  /** The seq to ask `since` next time: the newest line examined (matching or not). */
  next: number;
  /** Lines after `next` were not examined yet (the page's `limit`, or the scan's bound, was reached): ask again at once. */
  more: boolean;
  /** Lines after the asked `since` that the ring had dropped before this read (the reader fell behind). */
  missed: number;
  ring: LogRingState;
  /** Whether capture runs now (between `start()` and `close()`). */
  capturing: boolean;
  /** The sources captured (the `sources` option). */
  sources: LogSource[];
}

/** The capture's counters, for its own page or metrics. */
export interface LogsStats extends LogRingState {
  /** Lines captured since the capture was created (kept or dropped since). */
  captured: number;
  /** Lines whose message was cut at `lineLength`. */
  truncated: number;
  /** Lines lost to an error inside the capture (never thrown into the application). */
  errors: number;
  /** Calls of a request logger listener that threw (caught). */
  listenerErrors: number;
  /** Request logger listeners now; the HTTP channels are subscribed only while this is above 0. */
  requestWatchers: number;
  /** Watched requests kept now. */
  requestsKept: number;
  /** Watched requests forgotten to stay within the `requests` option. */
  requestsDropped: number;
}

/** A request the request logger follows: one marked with a watched token. */
export interface LoggedRequest {
  /** Unique in this process. */
  id: string;
  method: string;
  /** Path and query, secrets and the mark's token redacted. */
  url: string;
  /** The framework's route template, when known once it finished (Express, or the `routeOf` option); else null. */
  route: string | null;
  /** The status code sent; null while in flight or when it was aborted before headers. */
  status: number | null;
  /** From its start to its response's end (or abort), ms; null while in flight. */
  durationMs: number | null;
  /** `finished`: the response was sent; `aborted`: the connection closed first. */
  state: 'in flight' | 'finished' | 'aborted';
  /** When it started, ms since the epoch. */
  startedAt: number;
  /** Its lines not kept, past the `requestLines` or `requestBytes` bounds. */
  droppedLines: number;
}

/** A watched request with the lines it logged, oldest first. */
export interface RequestLog extends LoggedRequest {
  lines: LogLine[];
}

/** What a request logger listener receives: a request's state now and its lines since the previous event for it. */
export interface RequestLogEvent {
  request: LoggedRequest;
  /** The lines logged since the previous event for this request (none: it started or ended). */
  lines: LogLine[];
}

/** The Request logger page: how to mark a request, and the marked requests seen since the token was first followed. */
export interface RequestLoggerInfo {
  /** The token asked for. */
  token: string;
  /** The names a request is marked by (`?<param>=<token>`, header `<header>: <token>`, cookie `<cookie>=<token>`); null where that way is off. */
  mark: { param: string | null; header: string | null; cookie: string | null };
  /** Whether lines are captured (the `logs` option is not false). */
  capturing: boolean;
  /** The token's kept requests, oldest first, with their lines. */
  requests: RequestLog[];
}
