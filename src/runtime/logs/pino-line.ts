import type { LogLevel } from '../../protocol/logs.js';
import { namedLevel, pinoLevel } from './levels.js';

/** A pino line read: its level, message, time and the other fields. */
export interface PinoLine {
  level: LogLevel | null;
  message: string;
  /** Everything but `level`, `msg` and a `time` that is one: bindings (`pid`, `hostname`, a child's), the merged object, `err`; null when none. */
  fields: Record<string, unknown> | null;
  /** Pino's `time` in ms since the epoch, when it gave one (a number, or an ISO date). */
  time: number | undefined;
}

/**
 * One line of pino's JSON (without its newline): `level` a number (10 trace …
 * 60 fatal) or a label, `msg` (or `message`, pino's `messageKey` renamed),
 * `time`. Undefined when the text is not a JSON object.
 *
 * @example
 * parsePinoLine('{"level":30,"time":1,"msg":"hi","user":"ann"}') // { level: 'info', message: 'hi', fields: { user: 'ann' }, time: 1 }
 */
export function parsePinoLine(text: string): PinoLine | undefined {
  if (text.charCodeAt(0) !== 0x7b) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const { level, msg, time, ...rest } = o as Record<string, unknown>;
  let message: unknown = msg;
  if (message === undefined && typeof rest.message === 'string') {
    message = rest.message;
    delete rest.message;
  }
  let at: number | undefined;
  if (typeof time === 'number' && Number.isFinite(time)) at = time;
  else if (typeof time === 'string') {
    const t = Date.parse(time);
    if (Number.isFinite(t)) at = t;
  }
  // A `time` that is not a time is the user's own field.
  if (at === undefined && time !== undefined) rest.time = time;
  return {
    level: typeof level === 'number' ? pinoLevel(level) : typeof level === 'string' ? namedLevel(level) : null,
    message: typeof message === 'string' ? message : message === undefined ? '' : JSON.stringify(message),
    fields: Object.keys(rest).length === 0 ? null : rest,
    time: at,
  };
}
