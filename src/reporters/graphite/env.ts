import type { GraphiteOptions } from './reporter.js';

import { ConfigError } from '../../errors.js';
import { ReporterConfigError } from '../reporter.js';

export { ReporterConfigError };

/** `host:port`, `[v6]:port`, or `:port` (loopback). */
export function parseHostPort(value: string, what: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
  const port = Number(m?.[3]);
  if (m === null || !(port > 0 && port < 65536)) throw new ConfigError(`${what} must be host:port (e.g. 127.0.0.1:2003), got ${JSON.stringify(value)}`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/**
 * Graphite options from the environment, or undefined when `WOBSERVER_GRAPHITE`
 * is not set: `WOBSERVER_GRAPHITE` (host:port), `WOBSERVER_GRAPHITE_PREFIX`,
 * `WOBSERVER_GRAPHITE_LABELS` (`segments` or `tags`), `WOBSERVER_PERIOD` (seconds).
 */
export function graphiteOptionsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): GraphiteOptions | undefined {
  const target = env.WOBSERVER_GRAPHITE;
  if (target === undefined || target === '') return undefined;
  const o: GraphiteOptions = parseHostPort(target, 'WOBSERVER_GRAPHITE');
  if (env.WOBSERVER_GRAPHITE_PREFIX !== undefined) o.prefix = env.WOBSERVER_GRAPHITE_PREFIX;
  const labels = env.WOBSERVER_GRAPHITE_LABELS;
  if (labels !== undefined) {
    if (labels !== 'segments' && labels !== 'tags') throw new ConfigError(`WOBSERVER_GRAPHITE_LABELS must be "segments" or "tags", got ${JSON.stringify(labels)}`);
    o.labels = labels;
  }
  const period = env.WOBSERVER_PERIOD;
  if (period !== undefined) {
    const n = Number(period);
    if (!Number.isInteger(n) || n < 1) throw new ConfigError(`WOBSERVER_PERIOD must be a whole number of seconds >= 1, got ${JSON.stringify(period)}`);
    o.period = n;
  }
  return o;
}
