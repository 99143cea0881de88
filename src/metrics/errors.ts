/**
 * Stable, machine-readable codes of every error the metrics core throws.
 * Match on `err.code`, never on the message.
 */
export const MetricsErrorCode = {
  /** A metric name does not match `[a-zA-Z_:][a-zA-Z0-9_:]*`, optionally in dot-separated segments. */
  INVALID_METRIC_NAME: 'INVALID_METRIC_NAME',
  /** A label name does not match `[a-zA-Z_][a-zA-Z0-9_]*` or starts with `__`. */
  INVALID_LABEL_NAME: 'INVALID_LABEL_NAME',
  /** A label name the exposition reserves (`le`, `quantile`, `wobserver_overflow`). */
  RESERVED_LABEL_NAME: 'RESERVED_LABEL_NAME',
  /** The same label name declared twice. */
  DUPLICATE_LABEL_NAME: 'DUPLICATE_LABEL_NAME',
  /** An update's label set does not match the metric's declared label names. */
  LABELS_MISMATCH: 'LABELS_MISMATCH',
  /** A label value that is not a string, a finite number or a boolean. */
  INVALID_LABEL_VALUE: 'INVALID_LABEL_VALUE',
  /** A metric of that name exists with another type, label names or buckets (help and unit are not compared: the first registration's stay), or its exposed names would collide with another's. */
  METRIC_CONFLICT: 'METRIC_CONFLICT',
  /** NaN, an infinity or a non-number where it makes no sense. */
  INVALID_VALUE: 'INVALID_VALUE',
  /** A counter or meter asked to go down. */
  COUNTER_DECREASE: 'COUNTER_DECREASE',
  /** Histogram buckets that are not finite and strictly increasing. */
  INVALID_BUCKETS: 'INVALID_BUCKETS',
  /** An option out of its allowed range: thrown as an {@link OptionError}, the project's one class for that code. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** A metric type that does not exist. */
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
} as const;

export type MetricsErrorCode = (typeof MetricsErrorCode)[keyof typeof MetricsErrorCode];

/**
 * Base of every error wobserver throws: a message, a stable machine-readable
 * `code` (match on it, never on the message) and, when one error led to it,
 * the `cause`. It lives in the metrics core, the innermost layer, because the
 * core may import nothing else of the project and its errors extend it too.
 *
 * @example
 * try { registry.counter({ name: 'a b' }); } catch (e) { if (e instanceof WobserverError) console.log(e.code); }
 */
export class WobserverError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Codes of an {@link OptionError}. */
export type OptionErrorCode = 'INVALID_OPTION' | 'INSECURE_BIND' | 'NOT_A_WORKER';

/**
 * A mistake in the options given in code, or in where that code runs: thrown
 * at once by the factory or constructor given them, never an HTTP answer.
 * `INVALID_OPTION`: a value out of its allowed range; `INSECURE_BIND`: a
 * non-loopback address without authentication; `NOT_A_WORKER`: a cluster
 * worker's function called elsewhere.
 */
export class OptionError extends WobserverError {
  declare readonly code: OptionErrorCode;

  constructor(message: string, code: OptionErrorCode = 'INVALID_OPTION', options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The one error type of the metrics core: a programming error, thrown at the call that made it (a bad option is an {@link OptionError}). */
export class MetricsError extends WobserverError {
  declare readonly code: Exclude<MetricsErrorCode, 'INVALID_OPTION'>;

  constructor(code: Exclude<MetricsErrorCode, 'INVALID_OPTION'>, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Quotes a user value for an error message, short and unambiguous. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length > 120 ? `${s.slice(0, 117)}..."` : s;
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
