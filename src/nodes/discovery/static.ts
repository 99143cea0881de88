import { OptionError } from '../../metrics/errors.js';
import type { Discovery, NodeAddress } from '../types.js';

/** Parses `host:port`, `[v6]:port` or a URL `http://host:port/prefix`. */
export function parseNode(entry: string): NodeAddress {
  if (/^https?:\/\//.test(entry)) {
    const u = new URL(entry);
    const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    const prefix = u.pathname.replace(/\/+$/, '');
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port, ...(prefix ? { prefix } : {}) };
  }
  const m = /^(?:\[([^\]]+)\]|([^:/]+)):(\d{1,5})$/.exec(entry);
  const port = Number(m?.[3]);
  if (m === null || !(port > 0 && port < 65536)) throw new OptionError(`a node is host:port or a URL, got ${JSON.stringify(entry)}`);
  return { host: m[1] ?? m[2]!, port };
}

/** A fixed list of nodes. */
export function staticDiscovery(entries: readonly (string | NodeAddress)[]): Discovery {
  const nodes = entries.map((e) => (typeof e === 'string' ? parseNode(e) : e));
  return { kind: 'static', discover: async () => nodes };
}
