import { format } from 'node:util';
import type { LogLevel } from '../../protocol/logs.js';
import { type Wrapped, wrapMethod } from './patch.js';
import type { LineSink } from './sink.js';

/** The console methods wrapped, with the level each logs at. */
const METHODS: readonly (readonly [string, LogLevel])[] = [
  ['log', 'info'],
  ['info', 'info'],
  ['debug', 'debug'],
  ['warn', 'warn'],
  ['error', 'error'],
];

/**
 * Captures `console.log`, `info`, `debug`, `warn`, `error` (and `trace`) with
 * their level. A wrapper only says which level is being written and calls
 * the original: the text is taken where it is written, by the stdout or
 * stderr wrapper (so it is formatted once, by the console, and captured
 * once). If the console wrote nowhere that is wrapped (a console of the
 * user's own on another stream), the wrapper formats the arguments itself.
 *
 * `console.trace` is not wrapped: a wrapper would be one more frame in the
 * stack it prints. Node's `trace` writes through `console.error` a text
 * starting with `Trace`, which is taken at level `trace`.
 */
export class ConsoleCapture {
  readonly #console: Console;
  readonly #sink: LineSink;
  #wrapped: Wrapped[] = [];

  constructor(target: Console, sink: LineSink) {
    this.#console = target;
    this.#sink = sink;
  }

  start(): void {
    if (this.#wrapped.length > 0) return;
    for (const [name, level] of METHODS) {
      const w = wrapMethod(this.#console, name, (original, state) => this.#wrapper(original, state, level));
      if (w !== undefined) this.#wrapped.push(w);
    }
  }

  close(): void {
    for (const w of this.#wrapped) w.restore();
    this.#wrapped = [];
  }

  // biome-ignore lint/complexity/noBannedTypes: the console's own method, whatever its signature
  #wrapper(original: Function, state: { readonly active: boolean }, level: LogLevel): Function {
    const sink = this.#sink;
    const origin = sink.origin;
    return function wobserverConsole(this: unknown, ...args: unknown[]): unknown {
      // Nested (`console.table` logs through `console.log`) or a line captured elsewhere: the outer one counts.
      if (!state.active || origin.console !== null || origin.skip > 0) return original.apply(this, args);
      const first = args[0];
      origin.console = level === 'error' && args.length === 1 && typeof first === 'string' && /^Trace(?::|\n|$)/.test(first) ? 'trace' : level;
      origin.claimed = false;
      try {
        return original.apply(this, args);
      } finally {
        const at = origin.console;
        origin.console = null;
        if (!origin.claimed && sink.wants('console')) {
          try {
            sink.accept('console', at, format(...args), null);
          } catch {
            sink.failed();
          }
        }
      }
    };
  }
}
