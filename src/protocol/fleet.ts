/** Where a memory limit comes from (the same sources as the System page's). */
export type FleetMemorySource = 'cgroup v2' | 'cgroup v1' | 'os';

/**
 * What one node tells about itself for the Fleet page (`/api/fleet/<its name>`):
 * cheap figures only. Rates (CPU, event-loop utilization, delay) cover the time
 * since the previous read, `null` on the first one.
 */
export interface FleetSummary {
  /** The node's own name. */
  node: string;
  pid: number;
  /** `process.version`, e.g. `v20.20.2`. */
  nodeVersion: string;
  uptimeSeconds: number;
  /** CPU time (user + system) over wall time since the previous read, 0..1 per core (2 = two cores busy). */
  cpu: number | null;
  /** Event-loop utilization since the previous read, 0..1. */
  eventLoopUtilization: number | null;
  /** The 99th percentile of the event-loop delay since the previous read, in ms. */
  delayP99Ms: number | null;
  rss: number;
  /** The memory limit that applies (cgroup or the machine), bytes. */
  memoryLimit: number;
  memorySource: FleetMemorySource;
  heapUsed: number;
  heapSizeLimit: number;
  /** HTTP requests being answered now (the Fleet page's own request left out). */
  requestsInFlight: number;
}

/**
 * A node's row on the Fleet page: `up` with what it told, or why not — `down`
 * (cannot be reached), `timeout` (silent for `nodes.timeoutMs`), `invalid`
 * (an answer it cannot prove or that is not a summary), `error` (it answered
 * an error), `unknown` (no `nodes.secret`, so it is not asked).
 */
export type FleetState = 'up' | 'down' | 'timeout' | 'invalid' | 'error' | 'unknown';

export interface FleetRow {
  name: string;
  local: boolean;
  state: FleetState;
  /** A stable code when not up (`NODE_TIMEOUT`, `NODE_UNREACHABLE`, `FLEET_ANSWER_INVALID`, …). */
  code?: string;
  /** Why not, in words (at most 300 characters). */
  message?: string;
  /** What it told: now when up, else its last valid answer (stale, see `lastSeen`). */
  summary?: FleetSummary;
  /** ms since the epoch of its last valid answer. */
  lastSeen?: number;
  /** How long it took to answer, ms. */
  answerMs?: number;
}

/** The `fleet` topic: every node at once, from one fan-out shared by every viewer. */
export interface FleetInfo {
  /** When the fan-out began, ms since the epoch. */
  timestamp: number;
  /** How long the fan-out took, ms. */
  tookMs: number;
  /** How long a node is waited for (`nodes.timeoutMs`). */
  timeoutMs: number;
  /** How long one fan-out is shared (ms): every viewer reads the same one for this long. */
  periodMs: number;
  nodes: FleetRow[];
}
