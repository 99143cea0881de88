/** A thread of the process: 0 is the main thread, else a worker thread's `threadId`. */
export interface ThreadRef {
  id: number;
  /** `main`, or the worker's name (its `name` option, or `worker <threadId>`). */
  name: string;
}

/** One frame of a captured stack, 1-based line and column; `source` is the original position when a source map covers it. */
export interface StackFrame {
  functionName: string;
  /** The script's URL (`file:///…`, `node:internal/…`), redacted as text. */
  url: string;
  line: number;
  column: number;
  source: null | { url: string; line: number; column: number };
}

/** Why a block has no stack. */
export type NoStackReason =
  /** More captures than `capturesPerMinute` in the last minute: only its duration is counted. */
  | 'rate-limited'
  /** Another capture was still in flight. */
  | 'capture-in-flight'
  /** The inspector is taken (a debugger attached, `--inspect`): durations only. */
  | 'inspector-in-use'
  /** The loop turned again before the stack arrived. */
  | 'too-short'
  /** The stack could not be taken (the message says why, in `note`). */
  | 'failed'
  /** Stacks are off (`eventLoop.stacks: false`). */
  | 'stacks-off';

/** One block: a thread that did not turn its event loop for longer than the threshold. */
export interface BlockEvent {
  /** Increases by one per block of this process. */
  id: number;
  thread: ThreadRef;
  /** When the loop last turned before the block (ms since the epoch). */
  startedAt: number;
  /** How long it lasted; null while it is still blocked. */
  durationMs: number | null;
  /** Innermost frame first; null when none was taken (`noStack` says why). */
  stack: StackFrame[] | null;
  /** The group's key: a hash of the top frames; null without a stack. */
  signature: string | null;
  /** From the block's start to the stack in hand, ms. */
  captureMs: number | null;
  noStack: NoStackReason | null;
  note?: string;
}

/** Blocks with the same top frames, grouped. */
export interface StackGroup {
  signature: string;
  /** The stack of the group's latest block. */
  stack: StackFrame[];
  thread: ThreadRef;
  count: number;
  totalMs: number;
  maxMs: number;
  lastAt: number;
}

/** The Event loop page: the watchdog's state, the ring of the latest blocks, and the grouped stacks. */
export interface EventLoopInfo {
  /** The watchdog runs. */
  enabled: boolean;
  thresholdMs: number;
  /** `stacks` when blocks are captured with their stack, else `durations` (`why` says why). */
  capture: 'stacks' | 'durations';
  why: string | null;
  /** The threads watched; `blockedMs` is how long it has been blocked now (null if it is turning). */
  threads: Array<ThreadRef & { blockedMs: number | null }>;
  /** The latest blocks, oldest first, at most `limits.events`. */
  events: BlockEvent[];
  /** Grouped by signature, the most total blocked time first. */
  groups: StackGroup[];
  totals: {
    blocks: number;
    blockedMs: number;
    /** Blocks that have a stack. */
    captured: number;
    /** Blocks counted without a stack (rate limit, capture in flight, inspector taken). */
    uncaptured: number;
    /** Events dropped from the ring (oldest first), still counted in blocks. */
    dropped: number;
  };
  limits: { events: number; capturesPerMinute: number; groups: number; frames: number };
}
