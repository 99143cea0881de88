import type { Column } from '../components/table.js';
import type { PortKind, PortRow } from '../../client/index.js';
import { address } from '../components/field-text.js';
import { bytes, ms, plain } from '../format.js';

/** Each group's name, one and many, in the order the page shows them (typed by the contract: a new kind must be named here). */
export const KINDS: Readonly<Record<PortKind, readonly [string, string]>> = {
  server: ['server', 'servers'],
  socket: ['socket', 'sockets'],
  timer: ['timer', 'timers'],
  pipe: ['pipe or terminal', 'pipes and terminals'],
  watcher: ['file watcher', 'file watchers'],
  process: ['child process', 'child processes'],
  signal: ['signal handler', 'signal handlers'],
  internal: ['libuv internal', 'libuv internals'],
  other: ['other handle', 'other handles'],
};

export function kindName(kind: PortKind, n: number): string {
  return KINDS[kind][n === 1 ? 0 : 1];
}

const yes = (b: boolean | undefined): string => (b === undefined ? '–' : b ? 'yes' : 'no');

/** When a timer fires next: `inactive` when it is not armed (never a negative time). */
export function firesIn(r: PortRow): string {
  return r.firesInMs === null || r.firesInMs === undefined ? 'inactive' : ms(r.firesInMs);
}

/** Both ends of a socket, `local ↔ remote`; a UDP socket has only its own. */
export function ends(r: PortRow): string {
  return r.remote === undefined ? address(r.local) : `${address(r.local)} ↔ ${address(r.remote)}`;
}

const referenced: Column<PortRow> = { key: 'referenced', title: 'Keeps alive', priority: 2, value: (r) => yes(r.referenced) };
const active: Column<PortRow> = { key: 'active', title: 'Active', priority: 2, value: (r) => yes(r.active) };
const fd: Column<PortRow> = { key: 'fd', title: 'fd', align: 'right', priority: 3, value: (r) => r.fd, render: (r) => plain(r.fd) };
const type: Column<PortRow> = { key: 'type', title: 'Type' };

/** Human columns for each group, and the order each starts in. */
export const GROUP_TABLES: Readonly<Record<PortKind, { columns: Column<PortRow>[]; sort?: { key: string; desc?: boolean } }>> = {
  server: {
    columns: [
      { key: 'address', title: 'Address', value: (r) => r.local?.address ?? r.path },
      { key: 'port', title: 'Port', align: 'right', value: (r) => r.local?.port, render: (r) => (r.local?.port ? plain(r.local.port) : '–') },
      { key: 'protocol', title: 'Protocol', priority: 3, value: (r) => (r.type === 'tcp' ? 'TCP' : r.type) },
      { key: 'connections', title: 'Connections', align: 'right', value: (r) => r.connections },
      fd,
      referenced,
    ],
    sort: { key: 'port' },
  },
  socket: {
    columns: [
      { key: 'ends', title: 'Local ↔ remote', value: ends, render: (r) => (r.type === 'tcp' ? ends(r) : `${ends(r)} (${r.type.toUpperCase()})`) },
      { key: 'direction', title: 'Direction', priority: 2, value: (r) => r.direction ?? '–' },
      { key: 'state', title: 'State', priority: 2, value: (r) => r.state ?? '–' },
      { key: 'bytesRead', title: 'Read', align: 'right', render: (r) => bytes(r.bytesRead) },
      { key: 'bytesWritten', title: 'Written', align: 'right', priority: 3, render: (r) => bytes(r.bytesWritten) },
      { key: 'ageMs', title: 'Age', align: 'right', priority: 2, render: (r) => ms(r.ageMs) },
    ],
    sort: { key: 'bytesRead', desc: true },
  },
  timer: {
    columns: [
      { key: 'firesIn', title: 'Fires in', align: 'right', value: (r) => r.firesInMs ?? Number.POSITIVE_INFINITY, render: firesIn },
      { key: 'repeat', title: 'Repeat', value: (r) => r.repeatMs, render: (r) => (r.repeatMs ? `every ${ms(r.repeatMs)}` : 'once') },
      { ...referenced, priority: 1 },
      active,
    ],
    sort: { key: 'firesIn' },
  },
  pipe: {
    columns: [
      type,
      { ...fd, priority: 1 },
      { key: 'readable', title: 'Readable', priority: 2, value: (r) => yes(r.readable) },
      { key: 'writable', title: 'Writable', priority: 2, value: (r) => yes(r.writable) },
      { key: 'writeQueueSize', title: 'Write queue', align: 'right', priority: 3, render: (r) => bytes(r.writeQueueSize) },
      referenced,
    ],
    sort: { key: 'fd' },
  },
  watcher: {
    columns: [{ key: 'path', title: 'Path', value: (r) => r.path ?? '–' }, { key: 'type', title: 'How', priority: 2, value: (r) => (r.type === 'fs_poll' ? 'polling' : 'file events') }, referenced],
    sort: { key: 'path' },
  },
  process: { columns: [{ key: 'pid', title: 'PID', align: 'right', value: (r) => r.pid, render: (r) => plain(r.pid) }, active, referenced], sort: { key: 'pid' } },
  signal: { columns: [{ key: 'signal', title: 'Signal', value: (r) => r.signal ?? '–' }, referenced], sort: { key: 'signal' } },
  internal: { columns: [type, { ...active, priority: 1 }, referenced], sort: { key: 'type' } },
  other: { columns: [type, fd, active, referenced], sort: { key: 'type' } },
};

/** What a file descriptor points to, from its /proc link: a socket, a pipe, a device, an anonymous inode, or a file. */
export function fdKind(target: string): string {
  const m = /^(socket|pipe|anon_inode):/.exec(target);
  if (m !== null) return m[1] === 'anon_inode' ? 'anonymous inode' : m[1]!;
  return target.startsWith('/dev/') ? 'device' : 'file';
}
