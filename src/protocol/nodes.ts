export interface NodeState {
  /** The node's own name (from its `/api/about`), or `host:port` until known. */
  name: string;
  host: string;
  port: number;
  prefix: string;
  local: boolean;
  state: 'up' | 'down' | 'unknown';
  /** Why it is down, when it is. */
  error?: string;
  /** ms since the epoch of the last answer. */
  lastSeen?: number;
  /** A cluster worker reached over IPC. */
  ipc?: number;
}

/** A node as the `nodes` topic lists it: its state, and whether this node can reach it for you. */
export interface NodeInfo extends NodeState {
  proxy: boolean;
}
