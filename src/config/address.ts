import { ConfigError } from '../errors.js';

/**
 * `host:port`, `[v6]:port`, or `:port` (loopback), as the environment and the
 * config file give addresses; `what` names the setting in the error.
 *
 * @example
 * parseHostPort('carbon:2003', 'WOBSERVER_GRAPHITE'); // { host: 'carbon', port: 2003 }
 */
export function parseHostPort(value: string, what: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
  const port = Number(m?.[3]);
  if (m === null || !(port > 0 && port < 65536)) throw new ConfigError(`${what} must be host:port (e.g. 127.0.0.1:2003), got ${JSON.stringify(value)}`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}
