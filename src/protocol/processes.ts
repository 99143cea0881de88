export interface MainRow {
  id: 'main';
  kind: 'main';
  pid: number;
  threadId: 0;
  eventLoopUtilization: number;
  heapUsed: number;
  rss: number;
  /** Since the process started. */
  ageMs: number;
}

export interface WorkerRow {
  id: string;
  kind: 'worker';
  threadId: number;
  online: boolean;
  /** Since the worker started, 0..1. */
  eventLoopUtilization: number | null;
  resourceLimits: Record<string, number>;
  ageMs: number;
}

export interface ChildRow {
  id: string;
  kind: 'child';
  pid: number | null;
  /** argv, redacted. */
  command: string[];
  running: boolean;
  exitCode: number | null;
  signal: string | null;
  /** From /proc (Linux): R running, S sleeping, Z zombie, ... */
  state: string | null;
  cpuSeconds: number | null;
  rss: number | null;
  ageMs: number;
}

export interface ClusterWorkerRow {
  id: string;
  kind: 'cluster-worker';
  workerId: number;
  pid: number | null;
  state: string;
}

export interface RequestRow {
  id: string;
  kind: 'request';
  method: string;
  /** Path and query, secrets redacted. */
  url: string;
  /** Since the request began; when `ageExact` is false, since it was first seen (it began before anyone watched). */
  ageMs: number;
  ageExact: boolean;
  remoteAddress: string | null;
  /** Bytes read and written on its connection so far (all requests of a keep-alive connection). */
  bytesRead: number;
  bytesWritten: number;
}

export interface ProcessesInfo {
  main: MainRow;
  workers: WorkerRow[];
  children: ChildRow[];
  clusterWorkers: ClusterWorkerRow[];
  requests: RequestRow[];
  /** Whether request start times are being taken now: only while someone watches this page (`watchRequests()`). */
  requestsTracked: boolean;
}

/**
 * A request's detail. Once its detail has been read, the request's last state is
 * kept after it ends (the last 50 such requests, for 10 minutes), so that a detail
 * open while it finishes says so instead of vanishing: `state` turns to
 * `finished` (the response was sent) or `aborted` (the connection closed first),
 * `ageMs` stops at its whole duration, and `endedAgoMs` counts since.
 */
export interface RequestDetail extends RequestRow {
  httpVersion: string;
  headers: Record<string, string | string[]>;
  state: 'in flight' | 'finished' | 'aborted';
  /** The response's status once its head was sent; null before. */
  statusCode: number | null;
  /** Since it ended; null while in flight. */
  endedAgoMs: number | null;
}

export type ProcessDetail =
  | (MainRow & { execArgv: string[]; versions: Readonly<Record<string, string>> })
  | (WorkerRow & { stack: null; note: string })
  | (ChildRow & { status: Record<string, string> | null })
  | ClusterWorkerRow
  | RequestDetail;
