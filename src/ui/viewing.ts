import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConnectionState, NodeInfo } from '../client/index.js';

/** Why the page's data is old: the connection is down, or the node looked at is. `since`: ms since the epoch, when known. */
export interface Staleness {
  reason: 'reconnecting' | 'disconnected' | 'node down' | 'node unknown';
  since: number | undefined;
}

/** What the shell knows about what is being looked at, for the Page frame of every page. */
export interface Viewing {
  /** The node's name: the local node's, or the one picked in the node switcher. */
  nodeName: string | undefined;
  stale: Staleness | undefined;
}

export const ViewingContext = createContext<Viewing>({ nodeName: undefined, stale: undefined });

export function useViewing(): Viewing {
  return useContext(ViewingContext);
}

/**
 * Which node is looked at (`node`: the switcher's pick, undefined for this one)
 * and whether what the page shows is old: the connection is down (since
 * `stateSince`), or that node is not up (since it last answered). `helloNode`:
 * the server's own name from its hello, until the `nodes` topic answers.
 */
export function viewingOf(
  node: string | undefined,
  nodes: readonly NodeInfo[] | undefined,
  state: ConnectionState,
  stateSince: number,
  helloNode?: string,
): Viewing {
  const viewed = nodes?.find((n) => (node === undefined ? n.local : n.name === node));
  const nodeName = viewed?.name ?? node ?? helloNode;
  if (state === 'reconnecting' || state === 'closed') return { nodeName, stale: { reason: state === 'closed' ? 'disconnected' : 'reconnecting', since: stateSince } };
  if (viewed !== undefined && viewed.state !== 'up') return { nodeName, stale: { reason: viewed.state === 'down' ? 'node down' : 'node unknown', since: viewed.lastSeen } };
  return { nodeName, stale: undefined };
}
