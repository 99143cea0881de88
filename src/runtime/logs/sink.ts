import type { LogLevel, LogSource } from '../../protocol/logs.js';

/**
 * Who is writing to stdout or stderr right now. The console wrappers, pino's
 * destination and winston's transport say so here before they let their
 * text through, so that the stream wrappers neither capture it a second time
 * nor take it for a bare write.
 */
export interface Origin {
  /** The level of the `console.*` call in progress; null outside one. */
  console: LogLevel | null;
  /** Set by a stream wrapper that took the console call's text (else the console wrapper formats it itself). */
  claimed: boolean;
  /** Above 0 while a line already captured elsewhere is written on (pino's destination, winston's other transports). */
  skip: number;
}

/** Where the sources hand their lines: the capture. */
export interface LineSink {
  readonly origin: Origin;
  /** Whether that source is captured now (started, and in the `sources` option). */
  wants(source: LogSource): boolean;
  /**
   * Keeps one line: redacts its message and fields, cuts it to the line
   * bound, stores it and attaches it to the watched request it was logged in.
   * `fields` must be JSON-safe. Never throws.
   */
  accept(source: LogSource, level: LogLevel | null, message: string, fields: Record<string, unknown> | null, time?: number): void;
  /** Counts a line a source lost to its own error. */
  failed(): void;
}
