import type { NoStackReason, ThreadRef } from '../../protocol/index.js';

/** A frame as the watchdog thread took it: 1-based line and column, the script's URL unmapped and unredacted. */
export interface RawFrame {
  functionName: string;
  url: string;
  line: number;
  column: number;
}

/** What the watchdog thread tells the main thread (worker-source.ts sends these). */
export type WatchdogMessage =
  /** Whether stacks are captured, and why not. */
  | { t: 'state'; capture: 'stacks' | 'durations'; why: string | null }
  /** A worker thread is watched now. */
  | { t: 'thread'; key: string; thread: ThreadRef }
  /** A watched worker thread exited. */
  | { t: 'gone'; key: string }
  /** A thread is blocked now. */
  | { t: 'open'; key: string; thread: ThreadRef; startedAt: number }
  /** A block ended: its duration and what was captured. */
  | {
      t: 'block';
      key: string;
      thread: ThreadRef;
      startedAt: number;
      durationMs: number;
      frames: RawFrame[] | null;
      captureMs: number | null;
      noStack: NoStackReason | null;
      note?: string;
    }
  /** The debuggee paused for a capture, and was resumed (counted: every pause must be resumed). */
  | { t: 'paused' }
  | { t: 'resumed'; failed?: string }
  | { t: 'warn'; message: string };
