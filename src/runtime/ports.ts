import { type Dir, opendirSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { SocketTracker } from './sockets.js';
import type { Endpoint, PortKind, PortRow, PortsInfo } from '../protocol/index.js';
export type { Endpoint, PortKind, PortRow, PortsInfo } from '../protocol/index.js';
import { activeHandles } from '../metrics/runtime/active-handles.js';

const INTERNAL = new Set(['async', 'check', 'idle', 'prepare', 'loop']);

/** One handle of `process.report`'s `libuv` section (the fields read here). */
export interface ReportHandle {
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
export interface PortsOptions {
  /** Always use process.report, however many handles there are (slow with thousands of sockets). Default: false. */
  full?: boolean;
  /** Above this many active resources, use the cheap path. Default: 1000. */
  maxReportHandles?: number;
  /** File descriptors listed at most. Default: 1000. */
  maxFds?: number;
  /** Handles returned at most (counts cover all of them). Default: 1000. */
  limit?: number;
}

export function portsInfo(sockets?: SocketTracker, options: PortsOptions = {}): PortsInfo {
  const t = performance.now();
  // The tracked sockets are what make a report slow; counting them is free.
  const useReport = options.full === true || (sockets?.live.size ?? 0) <= (options.maxReportHandles ?? 1000);
  const limit = options.limit ?? 1000;
  const counts: Record<string, number> = {};
  const kinds = noKinds();
  let all: PortRow[];
  let total: number;
  if (useReport) {
    all = fromReport(sockets);
    total = all.length;
    for (const h of all) {
      kinds[h.kind]++;
      if (!h.internal) counts[h.type] = (counts[h.type] ?? 0) + 1;
    }
  } else {
    const cheap = fromHandles(sockets, limit, counts, kinds);
    all = cheap.rows;
    total = cheap.total;
  }
  link(all);
  const handles = all.length > limit ? all.slice(0, limit) : all;
  const tookMs = performance.now() - t;
  const { fds, truncated } = listFds(options.maxFds ?? 1000);
  return { source: useReport ? 'report' : 'handles', handles, total, truncated: total > handles.length, counts, kinds, fds, fdsTruncated: truncated, tookMs };
}

/** Every kind, in the order the Ports page shows them. */
export const PORT_KINDS: readonly PortKind[] = ['server', 'socket', 'timer', 'pipe', 'watcher', 'process', 'signal', 'internal', 'other'];

function noKinds(): Record<PortKind, number> {
  return Object.fromEntries(PORT_KINDS.map((k) => [k, 0])) as Record<PortKind, number>;
}

/** The group a handle belongs to (exactly one): by its libuv type, a listening TCP socket or pipe being a server. */
export function kindOf(r: Pick<PortRow, 'type' | 'state' | 'internal'>): PortKind {
  if (r.internal) return 'internal';
  switch (r.type) {
    case 'tcp':
      return r.state === 'listening' ? 'server' : 'socket';
    case 'pipe':
      return r.state === 'listening' ? 'server' : 'pipe';
    case 'udp':
      return 'socket';
    case 'tty':
      return 'pipe';
    case 'timer':
      return 'timer';
    case 'fs_event':
    case 'fs_poll':
      return 'watcher';
    case 'process':
      return 'process';
    case 'signal':
      return 'signal';
    default:
      return 'other';
  }
}

/** Each server's count of the listed sockets it accepted (those on its port), and each socket's direction. */
function link(rows: PortRow[]): void {
  const servers = new Map<number, PortRow[]>();
  for (const r of rows) {
    if (r.kind !== 'server' || r.local == null || r.local.port === 0) continue;
    r.connections = 0;
    servers.set(r.local.port, [...(servers.get(r.local.port) ?? []), r]);
  }
  for (const r of rows) {
    if (r.kind !== 'socket' || r.type !== 'tcp' || r.local == null) continue;
    const on = servers.get(r.local.port);
    const server = on?.find((s) => s.local?.address === r.local?.address) ?? on?.find((s) => s.local?.address === '0.0.0.0' || s.local?.address === '::');
    r.direction = server === undefined ? 'outbound' : 'inbound';
    if (server !== undefined) server.connections = (server.connections ?? 0) + 1;
  }
}

function fromReport(sockets?: SocketTracker): PortRow[] {
  // excludeNetwork is in Node 20's report but not in @types/node 20's declaration.
  const report = process.report as typeof process.report & { excludeNetwork: boolean };
  const saved = report.excludeNetwork;
  let libuv: ReportHandle[];
  try {
    report.excludeNetwork = true;
    libuv = (report.getReport() as unknown as { libuv: ReportHandle[] }).libuv;
  } finally {
    report.excludeNetwork = saved;
  }
  const byFd = new Map<number, TrackedBytes>();
  for (const s of sockets?.live ?? []) {
    const fd = fdOf(s);
    if (fd === undefined) continue;
    const bytes: TrackedBytes = { bytesRead: s.bytesRead, bytesWritten: s.bytesWritten };
    const age = sockets?.ageMs(s);
    if (age !== undefined) bytes.ageMs = age;
    byFd.set(fd, bytes);
  }
  return libuv.map((h) => reportRow(h, byFd));
}

/**
 * The cheap path: Node's referenced handles that are not tracked sockets, then
 * the tracked TCP sockets, rows built for the first `limit` only (the counts
 * cover all).
 */
function fromHandles(sockets: SocketTracker | undefined, limit: number, counts: Record<string, number>, kinds: Record<PortKind, number>): { rows: PortRow[]; total: number } {
  const rows: Omit<PortRow, 'kind'>[] = [];
  const live = sockets?.live ?? new Set<object>();
  for (const h of activeHandles() ?? []) {
    if (live.has(h as never)) continue;
    const name = h.constructor?.name ?? 'Unknown';
    const any = h as Record<string, unknown> & { address?: () => unknown; pid?: number };
    if (name === 'Server' && typeof any.address === 'function') {
      const a = any.address();
      rows.push(
        typeof a === 'string'
          ? { type: 'pipe', active: true, referenced: true, internal: false, local: { address: a, port: 0 }, state: 'listening' }
          : { type: 'tcp', active: true, referenced: true, internal: false, local: endpointOf(a), remote: null, state: 'listening' },
      );
    } else if (name === 'Socket' && typeof (h as { remoteAddress?: unknown }).remoteAddress !== 'undefined') {
      rows.push(socketRow(h as unknown as import('node:net').Socket, sockets));
    } else if (name === 'ChildProcess') {
      rows.push({ type: 'process', active: true, referenced: true, internal: false, pid: any.pid as number });
    } else if (name === 'FSWatcher' || name === 'StatWatcher') {
      rows.push({ type: 'fs_event', active: true, referenced: true, internal: false });
    } else if (name === 'Socket') {
      rows.push({ type: 'udp', active: true, referenced: true, internal: false, local: endpointOf(safe(() => any.address?.())) });
    } else {
      rows.push({ type: name, active: true, referenced: true, internal: false });
    }
  }
  for (const sig of process.eventNames()) {
    if (typeof sig === 'string' && /^SIG[A-Z0-9]+$/.test(sig)) rows.push({ type: 'signal', active: true, referenced: false, internal: false, signal: sig });
  }
  const out: PortRow[] = rows.map((r) => ({ ...r, kind: kindOf(r) }));
  for (const r of out) {
    counts[r.type] = (counts[r.type] ?? 0) + 1;
    kinds[r.kind]++;
  }
  let total = out.length;
  for (const s of sockets?.live ?? []) {
    if (s.destroyed) continue;
    total++;
    counts.tcp = (counts.tcp ?? 0) + 1;
    if (out.length < limit) {
      const r = socketRow(s, sockets);
      out.push(r);
      kinds[r.kind]++;
    } else {
      kinds.socket++;
    }
  }
  return { rows: out, total };
}

/** A connected socket's addresses and descriptor never change: each getter asks the OS, so ask once. */
const fixed = new WeakMap<object, { local: Endpoint | null; remote: Endpoint | null; fd: number | undefined }>();

function socketRow(s: import('node:net').Socket, sockets: SocketTracker | undefined): PortRow {
  let f = fixed.get(s);
  if (f === undefined) {
    f = {
      local: s.localAddress === undefined ? null : { address: s.localAddress, port: s.localPort ?? 0 },
      remote: s.remoteAddress === undefined ? null : { address: s.remoteAddress, port: s.remotePort ?? 0 },
      fd: fdOf(s),
    };
    if (f.remote !== null) fixed.set(s, f);
  }
  const { local, remote, fd } = f;
  const type = local === null && remote === null ? 'pipe' : 'tcp';
  const state = remote === null ? 'closed' : 'connected';
  const row: PortRow = {
    type,
    kind: kindOf({ type, state, internal: false }),
    active: !s.destroyed,
    referenced: true,
    internal: false,
    local,
    remote,
    state,
    readable: s.readable,
    writable: s.writable,
    bytesRead: s.bytesRead,
    bytesWritten: s.bytesWritten,
  };
  if (fd !== undefined) row.fd = fd;
  const age = sockets?.ageMs(s);
  if (age !== undefined) row.ageMs = age;
  return row;
}

function fdOf(s: object): number | undefined {
  const fd = (s as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

function endpointOf(a: unknown): Endpoint | null {
  if (a === null || typeof a !== 'object') return null;
  const x = a as { address?: string; port?: number };
  return { address: x.address ?? '', port: x.port ?? 0 };
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

interface TrackedBytes {
  bytesRead: number;
  bytesWritten: number;
  ageMs?: number;
}

/**
 * One row from a report's handle, joined with the tracked socket on the same
 * descriptor. A timer that is not armed (libuv reports a negative "fires in"
 * for it) has `firesInMs` null; one due now, 0.
 */
export function reportRow(h: ReportHandle, byFd: ReadonlyMap<number, TrackedBytes> = new Map()): PortRow {
  const internal = INTERNAL.has(h.type);
  const r: PortRow = { type: h.type, kind: 'other', active: h.is_active, referenced: h.is_referenced ?? false, internal };
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
    r.firesInMs = h.is_active && typeof h.firesInMsFromNow === 'number' ? Math.max(0, h.firesInMsFromNow) : null;
  }
  r.kind = kindOf(r);
  return r;
}

function endpoint(e: ReportHandle['localEndpoint']): Endpoint | null {
  if (e === null || e === undefined) return null;
  return { address: e.ip4 ?? e.ip6 ?? e.host ?? '', port: e.port };
}

/** Up to `max` descriptors, read from /proc/self/fd without listing the whole folder. */
function listFds(max: number): { fds: { fd: number; target: string }[] | null; truncated: boolean } {
  let dir: Dir;
  try {
    dir = opendirSync('/proc/self/fd');
  } catch {
    return { fds: null, truncated: false };
  }
  const fds: { fd: number; target: string }[] = [];
  let truncated = false;
  try {
    for (let e = dir.readSync(); e !== null; e = dir.readSync()) {
      if (fds.length >= max) {
        truncated = true;
        break;
      }
      try {
        fds.push({ fd: Number(e.name), target: readlinkSync(`/proc/self/fd/${e.name}`) });
      } catch {
        // The folder's own descriptor, or one closed meanwhile.
      }
    }
  } finally {
    dir.closeSync();
  }
  fds.sort((a, b) => a.fd - b.fd);
  return { fds, truncated };
}
