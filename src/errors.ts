// The project's error classes. Each code belongs to one class; the HTTP status
// of the codes a client may see is in server/error-status.ts, the one table.
import { OptionError, WobserverError } from './metrics/errors.js';

export { OptionError, WobserverError };
export type { OptionErrorCode } from './metrics/errors.js';

/**
 * Every problem with a configuration (a file, the environment, a reporter's
 * options), all at once, each naming the option, the value and what is
 * allowed. Code `INVALID_CONFIG`.
 *
 * Given one problem, the message is that problem as it is; given a list, the
 * message lists them under one heading.
 *
 * @example
 * try { loadConfig(); } catch (e) { if (e instanceof ConfigError) console.error(e.problems.join('\n')); }
 */
export class ConfigError extends WobserverError {
  declare readonly code: 'INVALID_CONFIG';
  readonly problems: string[];

  constructor(problems: string | string[], options?: { cause?: unknown }) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super('INVALID_CONFIG', typeof problems === 'string' ? problems : `wobserver: invalid configuration:\n${list.map((p) => `  - ${p}`).join('\n')}`, options);
    this.problems = list;
  }
}
