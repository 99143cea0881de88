import type { LogLevel } from '../../protocol/logs.js';

/** The levels from the least serious, each's rank its index. */
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const RANK: Readonly<Record<LogLevel, number>> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };

/** A level's rank (trace 0 … fatal 5); -1 for an unknown level. */
export function levelRank(level: LogLevel | null): number {
  return level === null ? -1 : RANK[level];
}

/** Whether a value is one of the six level names. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/**
 * Pino's numeric level: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60
 * fatal; a custom number goes to the nearest of these at or below it.
 *
 * @example
 * pinoLevel(35) // 'info'
 */
export function pinoLevel(n: number): LogLevel | null {
  if (!Number.isFinite(n)) return null;
  if (n < 20) return 'trace';
  if (n < 30) return 'debug';
  if (n < 40) return 'info';
  if (n < 50) return 'warn';
  if (n < 60) return 'error';
  return 'fatal';
}

/** Names of npm's (winston's default), syslog's and others' levels, lower case, on the six. */
const NAMED: Readonly<Record<string, LogLevel>> = {
  trace: 'trace',
  silly: 'trace',
  debug: 'debug',
  verbose: 'debug',
  info: 'info',
  http: 'info',
  notice: 'info',
  log: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  fatal: 'fatal',
  crit: 'fatal',
  critical: 'fatal',
  alert: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
};

/**
 * A level given by name (winston's npm and syslog levels, pino's labels);
 * null for a name it does not know.
 *
 * @example
 * namedLevel('warning') // 'warn'
 */
export function namedLevel(name: string): LogLevel | null {
  return NAMED[name.toLowerCase()] ?? null;
}
