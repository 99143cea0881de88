import { readdirSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { SocketTracker } from './sockets.js';

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
  handles: PortRow[];
  /** Handles by type, libuv internals left out. */
  counts: Record<string, number>;
  /** File descriptors and what they point to (Linux); null where /proc is missing. At most `maxFds`. */
  fds: { fd: number; target: string }[] | null;
  fdsTruncated: boolean;
  /** How long the libuv report took, in ms. */
  reportMs: number;
}

const INTERNAL = new Set(['async', 'check', 'idle', 'prepare', 'loop']);

interface ReportHandle {
  type: string;
  is_active: boolean;
  is_referenced?: boolean;
  fd?: number;
  localEndpoint?: { ip4?: string; ip6?: string; host?: string; port: number } | null;
  remoteEndpoint?: { ip4?: string; ip6?: string; host?: string; port: number } | null;
  readable?: boolean;
  writable?: boolean;
  sendBufferSize?: number;
  recvBufferSize?: number;
  writeQueueSize?: number;
  pid?: number;
  signal?: string;
  filename?: string;
  repeat?: number;
  firesInMsFromNow?: number;
}

/**
 * The Ports page: every libuv handle from `process.report` (with network
 * look-ups turned off: a report that resolves host names can take minutes;
 * the report's environment section is dropped here and never leaves the
 * process), joined with the socket tracker's byte counts, plus the process's
 * file descriptors on Linux.
 */
export function portsInfo(sockets?: SocketTracker, maxFds = 2000): PortsInfo {
  // excludeNetwork is in Node 20's report but not in @types/node 20's declaration.
  const report = process.report as typeof process.report & { excludeNetwork: boolean };
  const saved = report.excludeNetwork;
  const t = performance.now();
  let libuv: ReportHandle[];
  try {
    report.excludeNetwork = true;
    libuv = (report.getReport() as unknown as { libuv: ReportHandle[] }).libuv;
  } finally {
    report.excludeNetwork = saved;
  }
  const reportMs = performance.now() - t;
  const byFd = new Map<number, { bytesRead: number; bytesWritten: number }>();
  for (const s of sockets?.live ?? []) {
    const fd = (s as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd === 'number' && fd >= 0) byFd.set(fd, { bytesRead: s.bytesRead, bytesWritten: s.bytesWritten });
  }
  const handles = libuv.map((h) => row(h, byFd));
  const counts: Record<string, number> = {};
  for (const h of handles) if (!h.internal) counts[h.type] = (counts[h.type] ?? 0) + 1;
  const { fds, truncated } = listFds(maxFds);
  return { handles, counts, fds, fdsTruncated: truncated, reportMs };
}

function row(h: ReportHandle, byFd: Map<number, { bytesRead: number; bytesWritten: number }>): PortRow {
  const r: PortRow = { type: h.type, active: h.is_active, referenced: h.is_referenced ?? false, internal: INTERNAL.has(h.type) };
  if (typeof h.fd === 'number' && h.fd >= 0) r.fd = h.fd;
  if ('localEndpoint' in h) r.local = endpoint(h.localEndpoint);
  if ('remoteEndpoint' in h) r.remote = endpoint(h.remoteEndpoint);
  if (h.type === 'tcp') {
    r.state = r.remote ? 'connected' : h.is_active ? 'listening' : 'closed';
    const bytes = r.fd === undefined ? undefined : byFd.get(r.fd);
    if (bytes !== undefined) Object.assign(r, bytes);
  }
  for (const k of ['readable', 'writable', 'sendBufferSize', 'recvBufferSize', 'writeQueueSize', 'pid', 'signal'] as const) {
    if (h[k] !== undefined) (r as unknown as Record<string, unknown>)[k] = h[k];
  }
  if (h.filename !== undefined) r.path = h.filename;
  if (h.type === 'timer') {
    r.repeatMs = h.repeat ?? 0;
    r.firesInMs = h.firesInMsFromNow ?? 0;
  }
  return r;
}

function endpoint(e: ReportHandle['localEndpoint']): Endpoint | null {
  if (e === null || e === undefined) return null;
  return { address: e.ip4 ?? e.ip6 ?? e.host ?? '', port: e.port };
}

function listFds(max: number): { fds: { fd: number; target: string }[] | null; truncated: boolean } {
  let names: string[];
  try {
    names = readdirSync('/proc/self/fd');
  } catch {
    return { fds: null, truncated: false };
  }
  const fds: { fd: number; target: string }[] = [];
  for (const name of names) {
    if (fds.length >= max) return { fds, truncated: true };
    try {
      fds.push({ fd: Number(name), target: readlinkSync(`/proc/self/fd/${name}`) });
    } catch {
      // The directory's own descriptor is gone by now.
    }
  }
  fds.sort((a, b) => a.fd - b.fd);
  return { fds, truncated: false };
}
