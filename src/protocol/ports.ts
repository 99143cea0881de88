export interface Endpoint {
  address: string;
  port: number;
}

/** One libuv handle. Fields beyond type, active and referenced appear where the handle type has them. */
export interface PortRow {
  type: string;
  active: boolean;
  referenced: boolean;
  /** libuv's own bookkeeping (async, check, idle, prepare, loop), not the application's. */
  internal: boolean;
  fd?: number;
  local?: Endpoint | null;
  remote?: Endpoint | null;
  /** TCP: listening (a server) or connected. */
  state?: 'listening' | 'connected' | 'closed';
  readable?: boolean;
  writable?: boolean;
  sendBufferSize?: number;
  recvBufferSize?: number;
  writeQueueSize?: number;
  /** TCP sockets seen by the socket tracker. */
  bytesRead?: number;
  bytesWritten?: number;
  /** Child process. */
  pid?: number;
  /** Signal handler. */
  signal?: string;
  /** File watcher. */
  path?: string;
  /** Timer. */
  repeatMs?: number;
  firesInMs?: number;
}

export interface PortsInfo {
  /**
   * `report`: every libuv handle, from process.report. `handles`: with many
   * handles, the cheap path — every TCP socket the tracker saw plus the
   * referenced handles Node lists (unreferenced servers, UDP sockets and
   * watchers can be missing); ask with `full: true` for the report.
   */
  source: 'report' | 'handles';
  /** At most `limit` handles: servers, watchers and the like first, then sockets. */
  handles: PortRow[];
  /** How many handles there are in all, and whether `handles` was cut at the limit. */
  total: number;
  truncated: boolean;
  /** Handles by type, libuv internals left out. */
  counts: Record<string, number>;
  /** File descriptors and what they point to (Linux); null where /proc is missing. At most `maxFds`. */
  fds: { fd: number; target: string }[] | null;
  fdsTruncated: boolean;
  /** How long gathering the handles took, in ms. */
  tookMs: number;
}
