export interface Endpoint {
  address: string;
  port: number;
}

/**
 * What a handle is to a user, the Ports page's groups: a listening TCP socket or
 * pipe (`server`), a TCP or UDP socket, a timer, a pipe or terminal, a file
 * watcher, a child process, a signal handler, libuv's own bookkeeping
 * (`internal`), or `other` (any type not named here). Every handle has exactly
 * one, so the groups' counts sum to the total.
 */
export type PortKind = 'server' | 'socket' | 'timer' | 'pipe' | 'watcher' | 'process' | 'signal' | 'internal' | 'other';

/** One libuv handle. Fields beyond type, kind, active and referenced appear where the handle type has them. */
export interface PortRow {
  type: string;
  kind: PortKind;
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
  /** TCP sockets seen by the socket tracker: since it was opened (accepted or connected). */
  ageMs?: number;
  /** A socket whose local port is that of a server of this process: accepted by it (`inbound`), else `outbound`. */
  direction?: 'inbound' | 'outbound';
  /** A server: how many of the listed sockets it accepted. */
  connections?: number;
  /** Child process. */
  pid?: number;
  /** Signal handler. */
  signal?: string;
  /** File watcher. */
  path?: string;
  /** Timer: its period (0: fires once). */
  repeatMs?: number;
  /** Timer: when it fires next, never negative (a timer due now is 0); null when it is not armed (inactive). */
  firesInMs?: number | null;
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
  /** Handles by kind, every kind present (0 when none): these sum to `total`. */
  kinds: Record<PortKind, number>;
  /** File descriptors and what they point to (Linux); null where /proc is missing. At most `maxFds`. */
  fds: { fd: number; target: string }[] | null;
  fdsTruncated: boolean;
  /** How long gathering the handles took, in ms. */
  tookMs: number;
}
