import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

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
