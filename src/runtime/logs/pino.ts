import { LogsError } from './errors.js';
import { parsePinoLine } from './pino-line.js';
import type { LineSink } from './sink.js';

/** Where pino's lines go on to: file descriptor 1 (`process.stdout`) or 2 (`process.stderr`), a stream of the user's (`pino.destination(...)`, a file stream), or nowhere (null: captured only). */
export type PinoTarget = 1 | 2 | null | PinoWritable;

/** Any stream pino could write to itself. */
export interface PinoWritable {
  write(chunk: string): unknown;
  flush?(cb?: (err?: Error | null) => void): void;
  flushSync?(): void;
  end?(): void;
}

/**
 * What `LogCapture.pinoDestination()` returns, to give pino as its
 * destination: `pino(options, logs.pinoDestination())`, or alone,
 * `pino(logs.pinoDestination())`. Every line written is passed on to the
 * target first, unchanged, then captured (level, `msg`, the other fields).
 */
export interface PinoDestination {
  /** Tells pino, given it as its only argument, that it is a stream and not options. */
  readonly writable: true;
  write(chunk: string): boolean;
  /** Calls back once the target has taken what was written (pino's `logger.flush(cb)`). */
  flush(cb?: (err?: Error | null) => void): void;
  flushSync(): void;
  /** Ends the target if it is the user's stream; stdout and stderr are never ended. */
  end(): void;
}

/**
 * A pino destination that writes on to `target` (default 1) and captures.
 * Writes to 1 and 2 go through `process.stdout.write` and
 * `process.stderr.write` (synchronous on Linux for files, pipes and
 * terminals, and in order with `console.*`), marked so that the stream
 * capture does not take them a second time.
 */
export function createPinoDestination(sink: LineSink, target: PinoTarget = 1): PinoDestination {
  if (!(target === 1 || target === 2 || target === null || (typeof target === 'object' && typeof target.write === 'function'))) {
    throw new LogsError(
      'INVALID_LOG_DESTINATION',
      `A pino destination must be 1 (stdout), 2 (stderr), null (capture only) or a stream with a write method, got ${typeof target === 'number' ? target : typeof target}; for another file descriptor pass pino.destination(fd)`,
    );
  }
  const origin = sink.origin;
  const on = (): PinoWritable | null => (target === 1 ? process.stdout : target === 2 ? process.stderr : target);
  return {
    writable: true,
    write(chunk: string): boolean {
      const out = on();
      let ok: unknown = true;
      if (out !== null) {
        origin.skip++;
        try {
          ok = out.write(chunk);
        } finally {
          origin.skip--;
        }
      }
      if (sink.wants('pino')) {
        try {
          capture(sink, typeof chunk === 'string' ? chunk : String(chunk));
        } catch {
          sink.failed();
        }
      }
      return ok !== false;
    },
    flush(cb) {
      const out = on();
      if (out !== null && typeof out.flush === 'function') out.flush(cb);
      else if (out === process.stdout || out === process.stderr) (out as NodeJS.WriteStream).write('', () => cb?.(null));
      else cb?.(null);
    },
    flushSync() {
      const out = on();
      if (out !== null && out !== process.stdout && out !== process.stderr && typeof out.flushSync === 'function') out.flushSync();
    },
    end() {
      const out = on();
      if (out !== null && out !== process.stdout && out !== process.stderr && typeof out.end === 'function') out.end();
    },
  };
}

/** Each line of a chunk (pino writes one per call, ended by `\n`). */
function capture(sink: LineSink, chunk: string): void {
  let start = 0;
  while (start < chunk.length) {
    let end = chunk.indexOf('\n', start);
    if (end < 0) end = chunk.length;
    let line = chunk.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue;
    const p = parsePinoLine(line);
    if (p === undefined) sink.accept('pino', null, line, null);
    else sink.accept('pino', p.level, p.message, p.fields, p.time);
  }
}
