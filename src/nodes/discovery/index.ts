import { clusterDiscovery } from '../cluster.js';
import type { Discovery, NodeAddress } from '../types.js';
import { customDiscovery } from './custom.js';
import { type DnsDiscoveryOptions, dnsDiscovery } from './dns.js';
import { noDiscovery } from './none.js';
import { staticDiscovery } from './static.js';

/** What the methods read from the `nodes` options. */
export interface DiscoverySettings {
  static?: readonly (string | NodeAddress)[];
  dns?: DnsDiscoveryOptions;
  custom?: () => readonly (string | NodeAddress)[] | Promise<readonly (string | NodeAddress)[]>;
}

/** A discovery method by name: one file in this folder and one entry below. */
export interface DiscoveryMethod {
  /** What it does, in a few words (the docs' list and the configuration's help). */
  readonly summary: string;
  /** It can be chosen from a configuration file or the environment (a function cannot be written there). */
  readonly configurable: boolean;
  /** The discovery, or a message saying which option is missing. */
  create(s: DiscoverySettings): Discovery | string;
}

/** Every method, in the order the docs list them. */
export const DISCOVERY_METHODS = {
  none: { summary: 'only this process (the default)', configurable: true, create: () => noDiscovery },
  static: { summary: 'a fixed list of nodes (`nodes.static`)', configurable: true, create: (s) => staticDiscovery(s.static ?? []) },
  dns: {
    summary: 'every address of a name, or its SRV records (`nodes.dns`)',
    configurable: true,
    create: (s) => (s.dns === undefined ? 'nodes.discovery "dns" needs nodes.dns: { name, port } (or srv: true)' : dnsDiscovery(s.dns)),
  },
  custom: {
    summary: 'a function of yours that returns the nodes (`nodes.custom`)',
    configurable: false,
    create: (s) => (s.custom === undefined ? 'nodes.discovery "custom" needs nodes.custom: () => nodes' : customDiscovery(s.custom)),
  },
  cluster: { summary: "the workers of Node's cluster module, from its primary", configurable: true, create: () => clusterDiscovery() },
} as const satisfies Record<string, DiscoveryMethod>;

export type DiscoveryName = keyof typeof DISCOVERY_METHODS;

export const DISCOVERY_NAMES = Object.keys(DISCOVERY_METHODS) as DiscoveryName[];

/** The names a configuration file or the environment may give. */
export const CONFIGURABLE_DISCOVERY = DISCOVERY_NAMES.filter((n) => DISCOVERY_METHODS[n].configurable);

export function isDiscoveryName(s: unknown): s is DiscoveryName {
  return typeof s === 'string' && Object.hasOwn(DISCOVERY_METHODS, s);
}

/** `none, static, dns, custom or cluster`: for messages. */
export function discoveryList(names: readonly string[] = DISCOVERY_NAMES): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
