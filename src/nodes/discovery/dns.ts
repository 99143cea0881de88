import { lookup, Resolver } from 'node:dns/promises';
import { OptionError } from '../../metrics/errors.js';
import type { Discovery, NodeAddress } from '../types.js';

export interface DnsDiscoveryOptions {
  /** The name to resolve (a Kubernetes headless service, say). */
  name: string;
  /** The port every address answers on (A/AAAA); ignored with `srv`. */
  port?: number;
  /** Resolve SRV records (they carry the port) instead of addresses. */
  srv?: boolean;
  /** Only this address family (A: 4, AAAA: 6). Default: both. */
  family?: 4 | 6;
  /** DNS servers to ask for SRV (`host:port`); default: the system's. */
  servers?: string[];
  prefix?: string;
}

/**
 * The Elixir wobserver's method: every address of a name, on the configured port (which
 * fits a Kubernetes headless service), through the system resolver; or the
 * name's SRV records, which carry the port.
 */
export function dnsDiscovery(o: DnsDiscoveryOptions): Discovery {
  const prefix = o.prefix ? { prefix: o.prefix } : {};
  return {
    kind: 'dns',
    async discover(): Promise<NodeAddress[]> {
      if (o.srv) {
        const r = new Resolver({ timeout: 2000, tries: 2 });
        if (o.servers !== undefined) r.setServers(o.servers);
        const records = await r.resolveSrv(o.name);
        const out: NodeAddress[] = [];
        for (const s of records) {
          // A target may be an address or a name; a name is resolved through the system.
          const addrs = /^[\d.]+$|:/.test(s.name) ? [{ address: s.name }] : await lookup(s.name, { all: true, ...(o.family ? { family: o.family } : {}) });
          for (const a of addrs) out.push({ host: a.address, port: s.port, ...prefix });
        }
        return out;
      }
      if (o.port === undefined) throw new OptionError('dns discovery needs a port (or srv: true)');
      const addrs = await lookup(o.name, { all: true, ...(o.family ? { family: o.family } : {}) });
      return addrs.map((a) => ({ host: a.address, port: o.port!, ...prefix }));
    },
  };
}
