import { Writable } from 'node:stream';
import { namedLevel } from './levels.js';
import { plain } from './fields.js';
import { wrapMethod } from './patch.js';
import type { LineSink } from './sink.js';

/** Winston's own keys of a log entry (from `triple-beam`, spelled again so that wobserver needs neither package). */
const LEVEL = Symbol.for('level');
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
const ANSI = /\u001b\[[0-9;]*m/g;

/** What winston passes down its pipe: `level`, `message`, the other fields, and its symbols. */
type Info = Record<string | symbol, unknown>;

/** What winston, as the source of a pipe, offers its transports. */
interface WinstonLogger {
  levels?: Record<string, number>;
  emit(event: string | symbol, ...args: unknown[]): boolean;
}

/**
 * A winston transport: `winston.createLogger({ transports: [new
 * winston.transports.Console(), logs.winstonTransport()] })` or
 * `logger.add(logs.winstonTransport())`. It is the object-mode Writable with
 * a two-argument `log(info, callback)` that winston 3 requires of a
 * transport, built on `node:stream` (no dependency on winston or
 * winston-transport). Each entry is captured with its level (`info[LEVEL]`,
 * uncoloured), its `message` and the other fields.
 *
 * While the logger hands an entry to its transports, the lines its other
 * transports write to stdout or stderr (winston's Console) are not captured
 * again: this transport holds the structured copy. For that, the logger's
 * `emit` is wrapped while it pipes into this transport.
 */
export class WinstonTransport extends Writable {
  /** Captures only entries at this level of the logger's levels or more serious (winston's transport `level`); unset: all that reach it. */
  level: string | undefined;
  readonly #sink: LineSink;
  #levels: Record<string, number> | undefined;
  readonly #brackets = new Map<WinstonLogger, () => void>();

  constructor(sink: LineSink, options: { level?: string } = {}) {
    super({ objectMode: true });
    this.#sink = sink;
    this.level = options.level;
    this.on('pipe', (src: unknown) => this.#bracket(src as WinstonLogger));
    this.on('unpipe', (src: unknown) => {
      this.#brackets.get(src as WinstonLogger)?.();
      this.#brackets.delete(src as WinstonLogger);
    });
  }

  /** Winston's transport method: captures `info` and calls back at once. */
  log(info: Info, callback?: () => void): void {
    try {
      if (this.#sink.wants('winston') && this.#enabled(info)) this.#capture(info);
    } catch {
      this.#sink.failed();
    }
    callback?.();
  }

  override _write(info: Info, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.log(info, callback);
  }

  #enabled(info: Info): boolean {
    if (this.level === undefined || this.#levels === undefined) return true;
    const mine = this.#levels[this.level];
    const theirs = this.#levels[String(info[LEVEL] ?? info.level)];
    return mine === undefined || theirs === undefined || theirs <= mine;
  }

  #capture(info: Info): void {
    const raw = info[LEVEL] ?? info.level;
    const level = typeof raw === 'string' ? namedLevel(raw.replace(ANSI, '')) : null;
    const m = info.message;
    const message = typeof m === 'string' ? m : m === undefined ? '' : JSON.stringify(plain(m)) ?? '';
    let fields: Record<string, unknown> | null = null;
    for (const k of Object.keys(info)) {
      if (k === 'level' || k === 'message') continue;
      const v = plain(info[k]);
      if (v === undefined) continue;
      fields ??= {};
      fields[k] = v;
    }
    this.#sink.accept('winston', level, message, fields);
  }

  /**
   * Around each entry the logger emits: winston hands an entry to all its
   * transports synchronously, in one 'data' event, so while that event runs
   * (and this transport captures the entry) what they write to stdout or
   * stderr is marked as captured. The logger's `emit` is wrapped for it
   * (only that logger's, only while it pipes into this transport; put back
   * on unpipe), which brackets the event exactly, whatever the order of the
   * transports and even if one throws.
   */
  #bracket(src: WinstonLogger): void {
    if (this.#brackets.has(src) || src === null || typeof src !== 'object') return;
    this.#levels = src.levels;
    const origin = this.#sink.origin;
    const captures = (info: unknown): boolean => this.#sink.wants('winston') && info !== null && typeof info === 'object' && this.#enabled(info as Info);
    const w = wrapMethod(src, 'emit', (original, state) =>
      function emit(this: unknown, ...args: unknown[]): unknown {
        if (!state.active || args[0] !== 'data' || !captures(args[1])) return original.apply(this, args);
        origin.skip++;
        try {
          return original.apply(this, args);
        } finally {
          origin.skip--;
        }
      },
    );
    if (w !== undefined) this.#brackets.set(src, () => w.restore());
  }
}
