import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observer } from '../runtime/index.js';
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

export function diagnosticsDisabled(): HttpError {
  return new HttpError(403, 'DIAGNOSTICS_DISABLED', 'Diagnostics are off: start wobserver with `diagnostics: true` to allow profiles, heap snapshots and reports');
}

/**
 * Runs one diagnostics action (`cpu-profile/start`, `cpu-profile/stop`,
 * `heap-profile/start`, `heap-profile/stop`, `heap-snapshot`, `report`),
 * whatever carries the request: the HTTP API, or the cluster agent over IPC.
 */
export async function runDiagnostic(observer: Observer, guard: DiagnosticGuard, action: string): Promise<DiagnosticResult> {
  if (!guard.enabled) throw diagnosticsDisabled();
  const d = observer.diagnostics;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  switch (action) {
    case 'cpu-profile/start':
      await d.startCpuProfile();
      return { status: 202, kind: 'json', json: d.state() };
    case 'cpu-profile/stop':
      return { status: 200, kind: 'text', filename: `cpu-${stamp}.cpuprofile`, text: JSON.stringify(await d.stopCpuProfile()) };
    case 'heap-profile/start':
      await d.startHeapProfile();
      return { status: 202, kind: 'json', json: d.state() };
    case 'heap-profile/stop':
      return { status: 200, kind: 'text', filename: `heap-${stamp}.heapprofile`, text: JSON.stringify(await d.stopHeapProfile()) };
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
      throw new HttpError(404, 'NOT_FOUND', `No diagnostics action "${action}"`);
  }
}
