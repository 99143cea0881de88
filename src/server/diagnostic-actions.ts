import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError } from '../errors.js';
import type { DiagnosticsOptions, Observer } from '../runtime/index.js';
import { HttpError } from './http-error.js';

/** What a diagnostics action produced: a state (JSON), a file's text, or a file on disk (a heap snapshot) to stream and delete. */
export type DiagnosticResult =
  | { status: number; kind: 'json'; json: unknown }
  | { status: number; kind: 'text'; filename: string; text: string }
  | { status: number; kind: 'file'; filename: string; path: string; bytes: number };

export interface DiagnosticGuard {
  readonly enabled: boolean;
  readonly minIntervalMs: number;
  /** When the last heap snapshot was taken (ms since the epoch). */
  lastSnapshot: number;
}

/**
 * wobserver's `diagnostics` option: `true`, or an object with `enabled`, the
 * heap-snapshot interval, and what it hands to the observer it creates (the
 * profile limits, the ring, the triggers).
 *
 * @example
 * start({ diagnostics: { enabled: true, profileRing: 20, triggers: { elu: { threshold: 0.8 } } } });
 */
export type DiagnosticsOption = boolean | ({ enabled: boolean; /** At most one heap snapshot per this many ms. Default: 60000. */ minIntervalMs?: number } & DiagnosticsOptions);

/** The observer's part of the option (profile limits, ring, triggers), or undefined when it names none. */
export function observerDiagnostics(d: DiagnosticsOption | undefined): DiagnosticsOptions | undefined {
  if (typeof d !== 'object' || d === null) return undefined;
  const { enabled: _enabled, minIntervalMs: _interval, ...rest } = d;
  return Object.keys(rest).length === 0 ? undefined : rest;
}

/**
 * The server's guard for the `diagnostics` option. With an observer of the
 * application's own, the observer's part cannot be applied: it is refused,
 * naming where it goes (`createObserver({ diagnostics })`).
 */
export function diagnosticsGuard(d: DiagnosticsOption | undefined, ownObserver = true): DiagnosticGuard {
  if (!ownObserver && observerDiagnostics(d) !== undefined) {
    throw new OptionError(`diagnostics.${Object.keys(observerDiagnostics(d)!).join(', diagnostics.')} configure the observer: pass them to createObserver({ diagnostics }) when you pass your own observer`);
  }
  return { enabled: d === true || (typeof d === 'object' && d !== null && d.enabled === true), minIntervalMs: typeof d === 'object' && d !== null ? (d.minIntervalMs ?? 60_000) : 60_000, lastSnapshot: 0 };
}

export function diagnosticsDisabled(): HttpError {
  return new HttpError(403, 'DIAGNOSTICS_DISABLED', 'Diagnostics are off: start wobserver with `diagnostics: true` to allow profiles, heap snapshots and reports');
}

/** The method an action takes: reading a kept profile is a GET, every other action a POST. */
export function diagnosticMethod(action: string): 'GET' | 'POST' {
  return action.startsWith('profiles/') ? 'GET' : 'POST';
}

/** `?thread=`: absent, or a thread id (0 is the main thread); anything else is `400 BAD_PARAMETER`. */
export function threadParam(query: Readonly<Record<string, string>>): number | undefined {
  const raw = query.thread;
  if (raw === undefined) return undefined;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) > 2 ** 31 - 1) throw new HttpError(400, 'BAD_PARAMETER', `thread must be a thread id (0 for the main thread), got "${raw.slice(0, 40)}"`);
  return Number(raw);
}

const PROFILE_ID = /^[a-z0-9-]{1,40}$/;
const EXT = { 'cpu-profile': ['cpu', 'cpuprofile'], 'heap-profile': ['heap', 'heapprofile'] } as const;

/**
 * Runs one diagnostics action (`cpu-profile/start`, `cpu-profile/stop`,
 * `heap-profile/start`, `heap-profile/stop` with an optional `?thread=`,
 * `heap-snapshot`, `report`, and `profiles/<id>`), whatever carries the
 * request: the HTTP API, or the cluster agent over IPC.
 */
export async function runDiagnostic(observer: Observer, guard: DiagnosticGuard, action: string, query: Readonly<Record<string, string>> = {}): Promise<DiagnosticResult> {
  if (!guard.enabled) throw diagnosticsDisabled();
  const d = observer.diagnostics;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const [what, verb, ...more] = action.split('/');
  if (what === 'profiles' && verb !== undefined && more.length === 0) {
    const kept = PROFILE_ID.test(verb) ? d.profile(verb) : undefined;
    if (kept === undefined) throw new HttpError(404, 'NOT_FOUND', `No profile "${verb.slice(0, 40)}" in the ring: it was dropped for newer ones, or never was`);
    const [prefix, ext] = EXT[kept.entry.kind];
    return { status: 200, kind: 'text', filename: `${prefix}-${new Date(kept.entry.startedAt).toISOString().replace(/[:.]/g, '-')}-${kept.entry.id}.${ext}`, text: kept.json };
  }
  if ((what === 'cpu-profile' || what === 'heap-profile') && more.length === 0 && (verb === 'start' || verb === 'stop')) {
    const thread = threadParam(query);
    if (verb === 'start') {
      await (what === 'cpu-profile' ? d.startCpuProfile({ thread }) : d.startHeapProfile({ thread }));
      return { status: 202, kind: 'json', json: d.state() };
    }
    const [prefix, ext] = EXT[what];
    return { status: 200, kind: 'text', filename: `${prefix}-${stamp}.${ext}`, text: (await d.stop(what, thread)).json };
  }
  switch (action) {
    case 'report':
      return { status: 200, kind: 'text', filename: `report-${stamp}.json`, text: JSON.stringify(d.report()) };
    case 'heap-snapshot': {
      const wait = guard.lastSnapshot + guard.minIntervalMs - Date.now();
      if (wait > 0) {
        const s = Math.ceil(wait / 1000);
        // Retry-After lets a client count down to the next one (the UI does).
        throw new HttpError(429, 'RATE_LIMITED', `One heap snapshot per ${guard.minIntervalMs / 1000} s: try again in ${s} s`, { 'retry-after': String(s) });
      }
      guard.lastSnapshot = Date.now();
      // Written to a file chunk by chunk, then streamed: the snapshot never sits whole in memory.
      const path = join(tmpdir(), `wobserver-${process.pid}-${Date.now()}.heapsnapshot`);
      const bytes = await d.heapSnapshotToFile(path);
      return { status: 200, kind: 'file', filename: `heap-${stamp}.heapsnapshot`, path, bytes };
    }
    default:
      throw new HttpError(404, 'NOT_FOUND', `No diagnostics action "${action.slice(0, 80)}"`);
  }
}
