import { readFileSync, readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { OpenFiles } from '../protocol/index.js';

/**
 * The soft and hard limits of one row of `/proc/<pid>/limits` ("Max open
 * files  1024  1048576  files"); `null` for "unlimited", undefined when the
 * row is missing.
 *
 * @example
 * parseLimit(readFileSync('/proc/self/limits', 'utf8'), 'Max open files') // { soft: 1024, hard: 1048576 }
 */
export function parseLimit(text: string, name: string): { soft: number | null; hard: number | null } | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const [soft, hard] = line.slice(name.length).trim().split(/\s+/);
    const value = (v: string | undefined): number | null | undefined => (v === 'unlimited' ? null : v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
    const s = value(soft);
    const h = value(hard);
    if (s === undefined || h === undefined) return undefined;
    return { soft: s, hard: h };
  }
  return undefined;
}

/**
 * Open file descriptors against the `RLIMIT_NOFILE` soft limit, read from
 * `/proc` (Linux); `null` elsewhere, or where `/proc` cannot be read.
 * `proc` is the folder of the process to read (a test passes a fixture).
 */
export function openFiles(proc = '/proc/self'): OpenFiles | null {
  try {
    const limit = parseLimit(readFileSync(`${proc}/limits`, 'utf8'), 'Max open files');
    if (limit === undefined) return null;
    // Reading the folder opens one descriptor of its own, listed with the others.
    const open = Math.max(0, readdirSync(`${proc}/fd`).length - (proc === '/proc/self' ? 1 : 0));
    return { open, soft: limit.soft, hard: limit.hard };
  } catch {
    return null;
  }
}

let known: OpenFiles | null | undefined;
let refreshing: Promise<void> | undefined;

/**
 * `openFiles()` for the System page, cheap with many descriptors: up to `syncBelow`
 * open (1,000 by default) the folder is read as asked; past it, listing 10,000
 * entries would block the event loop for tens of milliseconds, so the last count is
 * answered and a new one is read off the main thread (libuv's pool) for the next
 * call. Returns the refresh in flight, if any, as `refreshed` (for tests).
 */
export function openFilesNow(syncBelow = 1000): { files: OpenFiles | null; refreshed: Promise<void> | undefined } {
  if (known === undefined || known === null || known.open < syncBelow) {
    known = openFiles();
    return { files: known, refreshed: undefined };
  }
  const last = known;
  refreshing ??= readdir('/proc/self/fd')
    // The listing opens one descriptor of its own, listed with the others.
    .then((names) => void (known = { ...last, open: Math.max(0, names.length - 1) }))
    .catch(() => void (known = undefined))
    .finally(() => void (refreshing = undefined));
  return { files: last, refreshed: refreshing };
}
