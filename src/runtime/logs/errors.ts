import { RuntimeError } from '../errors.js';

/** Codes of a {@link LogsError}. */
export type LogsErrorCode =
  /** A request logger token that is empty, longer than 128 characters or holds characters other than `A-Z a-z 0-9 . _ ~ -`. */
  | 'INVALID_LOG_TOKEN'
  /** A request logger listener that is not a function. */
  | 'INVALID_LOG_LISTENER'
  /** A pino destination other than 1, 2, null or an object with a `write` method. */
  | 'INVALID_LOG_DESTINATION';

/**
 * A programming error in a call to the log capture, thrown at that call
 * (a bad option is an `OptionError`). Capturing itself never throws.
 *
 * @example
 * try { logs.watchRequests('', listener); } catch (e) { if (e instanceof LogsError) console.log(e.code); } // INVALID_LOG_TOKEN
 */
export class LogsError extends RuntimeError<LogsErrorCode> {}
