export type { NodeState } from '../protocol/index.js';

/** Where a node's wobserver answers: the Elixir wobserver's Remote, plus the URL prefix it is mounted under. */
export interface NodeAddress {
  host: string;
  port: number;
  /** URL prefix, e.g. `/wobserver`. Default: none. */
  prefix?: string;
  /** A name to show before the node has told its own. */
  name?: string;
  /** A cluster worker's id: reached over the cluster's IPC channel, not HTTP. */
  ipc?: number;
}

/** A discovery method: one file each, chosen by option; a user's own is the same shape. */
export interface Discovery {
  readonly kind: string;
  discover(): Promise<NodeAddress[]>;
}

/** `host:port` with IPv6 in brackets. */
export function hostPort(a: { host: string; port: number }): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** `http://host:port/prefix` of a node. */
export function baseUrl(a: { host: string; port: number; prefix?: string }): string {
  return `http://${hostPort(a)}${a.prefix ?? ''}`;
}
