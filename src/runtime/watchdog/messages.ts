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
  /** An open block of a thread turned out shorter than the threshold (it was opened while the heartbeat rested). */
  | { t: 'cancel'; key: string }
  /** The watchdog can tell an idle main thread from a busy one without beats: the heartbeat may rest. */
  | { t: 'rest' }
  /** The main thread looks busy while its heartbeat rests: beat again (`stay`: and never rest again). */
  | { t: 'arm'; stay?: boolean }
  /** The debuggee paused for a capture, and was resumed (counted: every pause must be resumed). */
  | { t: 'paused' }
  | { t: 'resumed'; failed?: string }
  | { t: 'warn'; message: string };

/** What the main thread tells the watchdog thread. */
export type ToWatchdog = 'stop' | { t: 'armed' };
