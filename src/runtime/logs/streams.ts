import { StringDecoder } from 'node:string_decoder';
import { type Wrapped, wrapMethod } from './patch.js';
import { parsePinoLine } from './pino-line.js';
import type { LineSink } from './sink.js';

/**
 * Captures what is written to `process.stdout` or `process.stderr` by
 * wrapping the stream's `write`: the call goes on first, unchanged (same
 * arguments, same return value, same exceptions), then its text is read.
 * A `console.*` call's write becomes one line of source `console` with the
 * call's level; any other write is split into lines (a partial one waits
 * for its end, up to `lineLength` characters), each of the stream's source,
 * or `pino` when it is pino's JSON (a logger created while the capture ran
 * found `process.stdout` wrapped and writes through it).
 */
export class StreamCapture {
  readonly #stream: NodeJS.WritableStream;
  readonly #source: 'stdout' | 'stderr';
  readonly #sink: LineSink;
  readonly #lineLength: number;
  #wrapped: Wrapped | undefined;
  /** The start of a line not ended yet. */
  #pending = '';
  /** A line past `lineLength` was kept cut: the rest, up to its end, is skipped. */
  #skipping = false;
  #decoder: StringDecoder | undefined;

  constructor(stream: NodeJS.WritableStream, source: 'stdout' | 'stderr', sink: LineSink, lineLength: number) {
    this.#stream = stream;
    this.#source = source;
    this.#sink = sink;
    this.#lineLength = lineLength;
  }

  start(): void {
    if (this.#wrapped?.active === true) return;
    const seen = (chunk: unknown, encoding: unknown): void => this.#seen(chunk, encoding);
    const sink = this.#sink;
    this.#wrapped = wrapMethod(this.#stream, 'write', (original, state) =>
      function write(this: unknown, ...args: unknown[]): unknown {
        const written = original.apply(this, args);
        if (state.active) {
          try {
            seen(args[0], args[1]);
          } catch {
            sink.failed();
          }
        }
        return written;
      },
    );
  }

  /** Restores `write` (see `wrapMethod`) and keeps the partial line waiting, if any. */
  close(): void {
    this.#wrapped?.restore();
    this.#wrapped = undefined;
    const rest = this.#pending + (this.#decoder?.end() ?? '');
    this.#pending = '';
    this.#decoder = undefined;
    this.#skipping = false;
    if (rest !== '') this.#line(rest);
  }

  #seen(chunk: unknown, encoding: unknown): void {
    const origin = this.#sink.origin;
    if (origin.skip > 0) {
      origin.claimed = true;
      return;
    }
    if (origin.console !== null) {
      origin.claimed = true;
      if (!this.#sink.wants('console')) return;
      // A bare write's unfinished line ends where the console's begins.
      if (this.#pending !== '') {
        const rest = this.#pending;
        this.#pending = '';
        this.#line(rest);
      }
      const text = this.#text(chunk, encoding);
      this.#sink.accept('console', origin.console, text.endsWith('\n') ? text.slice(0, -1) : text, null);
      return;
    }
    if (!this.#sink.wants(this.#source) && !this.#sink.wants('pino')) return;
    this.#lines(this.#text(chunk, encoding));
  }

  #text(chunk: unknown, encoding: unknown): string {
    if (typeof chunk === 'string') {
      return typeof encoding !== 'string' || /^utf-?8$/i.test(encoding) ? chunk : Buffer.from(chunk, encoding as BufferEncoding).toString('utf8');
    }
    if (chunk instanceof Uint8Array) {
      // Bytes of one character may be split between writes: the decoder keeps them until the rest comes.
      this.#decoder ??= new StringDecoder('utf8');
      return this.#decoder.write(chunk as Buffer);
    }
    return '';
  }

  #lines(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const part = text.slice(start, nl);
      start = nl + 1;
      if (this.#skipping) {
        this.#skipping = false;
        this.#pending = '';
        continue;
      }
      const line = this.#pending === '' ? part : this.#pending + part;
      this.#pending = '';
      this.#line(line);
    }
    if (start >= text.length || this.#skipping) return;
    this.#pending += text.slice(start);
    if (this.#pending.length > this.#lineLength) {
      // Kept cut now (the capture marks it truncated); what follows up to its end is skipped.
      const cut = this.#pending;
      this.#pending = '';
      this.#skipping = true;
      this.#line(cut);
    }
  }

  #line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('{"level":') && this.#sink.wants('pino')) {
      const p = parsePinoLine(line);
      if (p !== undefined) {
        this.#sink.accept('pino', p.level, p.message, p.fields, p.time);
        return;
      }
    }
    if (this.#sink.wants(this.#source)) this.#sink.accept(this.#source, null, line, null);
  }
}
