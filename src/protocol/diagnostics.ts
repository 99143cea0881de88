import type { ThreadRef } from './eventloop.js';

export type ProfileKind = 'cpu-profile' | 'heap-profile';

/** What is running now. */
export interface DiagnosticsState {
  running: null | { kind: ProfileKind; thread: ThreadRef; startedAt: number; stopsAt: number; trigger: ProfileTrigger };
  /** A profile that stopped by itself at its maximum duration, waiting to be fetched with stop(). */
  finished: null | { kind: ProfileKind; thread: ThreadRef; startedAt: number };
}

/** What started a profile: a person, or one of the optional triggers. */
export type ProfileTrigger = 'manual' | 'elu' | 'block';

/** A profile kept in the ring of recent profiles: `GET /api/diagnostics/profiles/<id>` answers it (`.cpuprofile` / `.heapprofile` JSON). */
export interface ProfileEntry {
  id: string;
  kind: ProfileKind;
  thread: ThreadRef;
  startedAt: number;
  durationMs: number;
  trigger: ProfileTrigger;
  /** Its size as JSON. */
  bytes: number;
  /** Nodes of its call tree. */
  nodes: number;
}

/** The optional triggers, as configured; null when off. */
export interface ProfileTriggers {
  /** A CPU profile of `profileMs` when event-loop utilization stays above `threshold` (0–1) for `forMs`. */
  elu: null | { threshold: number; forMs: number; profileMs: number };
  /** A CPU profile of `profileMs` when a block is detected. */
  block: null | { profileMs: number };
  /** Least time between two triggered profiles. */
  minIntervalMs: number;
}

/** The Diagnostics page: whether actions are on, what runs now, the threads one can profile, and the ring of recent profiles. */
export interface DiagnosticsInfo extends DiagnosticsState {
  enabled: boolean;
  threads: ThreadRef[];
  /** Newest first; at most `profileRing`. */
  profiles: ProfileEntry[];
  profileRing: number;
  triggers: ProfileTriggers;
}
