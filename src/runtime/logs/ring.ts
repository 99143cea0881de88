import type { LogLevel, LogLine, LogRingState, LogSource } from '../../protocol/logs.js';
import { levelRank } from './levels.js';

/** A line as kept: its fields as their JSON text (what its size counts, and what a search reads). */
export interface Entry {
  seq: number;
  time: number;
  level: LogLevel | null;
  source: LogSource;
  message: string;
  fields: string | null;
  request: string | null;
  truncated: boolean;
  /** UTF-8 bytes of `message` and `fields`. */
  size: number;
}

/** Lines one read examines at most: a full ring with a search that matches nothing stays a few milliseconds. */
export const MAX_SCAN = 20_000;
/** Lines one read answers at most. */
export const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 200;

/** A read's filters (see `LogsQuery`). */
export interface RingQuery {
  level?: LogLevel;
  search?: string;
  limit?: number;
}

/** What one read found. */
export interface RingPage {
  lines: LogLine[];
  next: number;
  more: boolean;
  missed: number;
}

/** The JSON-safe line of a kept entry. */
export function toLine(e: Entry): LogLine {
  return {
    seq: e.seq,
    time: e.time,
    level: e.level,
    source: e.source,
    message: e.message,
    fields: e.fields === null ? null : (JSON.parse(e.fields) as Record<string, unknown>),
    request: e.request,
    truncated: e.truncated,
  };
}

/**
 * The latest lines, bounded by count and by bytes: adding past either bound
 * drops the oldest first, and counts what it dropped. Seqs are contiguous
 * inside the ring (only the oldest ever leaves), so the line after a seq is
 * found by arithmetic, not by a search.
 */
export class LogRing {
  readonly maxLines: number;
  readonly maxBytes: number;
  #slots: (Entry | undefined)[] = [];
  #head = 0;
  #count = 0;
  #bytes = 0;
  #lastSeq = 0;
  #droppedLines = 0;
  #droppedBytes = 0;

  constructor(maxLines: number, maxBytes: number) {
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
  }

  /**
   * Gives the entry its seq and keeps it, dropping the oldest to make room. An
   * entry bigger than `maxBytes` alone (the capture cuts lines so that none
   * is) is counted as dropped at once, without a seq: seqs stay contiguous.
   */
  add(e: Entry): void {
    if (e.size > this.maxBytes) {
      this.#droppedLines++;
      this.#droppedBytes += e.size;
      return;
    }
    e.seq = ++this.#lastSeq;
    while (this.#count > 0 && (this.#count >= this.maxLines || this.#bytes + e.size > this.maxBytes)) this.#dropOldest();
    const slots = this.#slots;
    if (this.#count === slots.length) {
      // Grows up to `maxLines` slots, straightening the circle first so that the new slot is the newest.
      if (this.#head !== 0) {
        this.#slots = [...slots.slice(this.#head), ...slots.slice(0, this.#head)];
        this.#head = 0;
      }
      this.#slots.push(e);
    } else slots[(this.#head + this.#count) % slots.length] = e;
    this.#count++;
    this.#bytes += e.size;
  }

  #dropOldest(): void {
    const e = this.#slots[this.#head]!;
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#slots.length;
    this.#count--;
    this.#bytes -= e.size;
    this.#droppedLines++;
    this.#droppedBytes += e.size;
  }

  /** The kept entry of a seq; undefined when it was dropped or is not yet. */
  at(seq: number): Entry | undefined {
    const offset = seq - this.firstSeq;
    if (offset < 0 || offset >= this.#count) return undefined;
    return this.#slots[(this.#head + offset) % this.#slots.length];
  }

  get firstSeq(): number {
    return this.#lastSeq - this.#count + 1;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  state(): LogRingState {
    return {
      firstSeq: this.firstSeq,
      lastSeq: this.#lastSeq,
      lines: this.#count,
      bytes: this.#bytes,
      maxLines: this.maxLines,
      maxBytes: this.maxBytes,
      droppedLines: this.#droppedLines,
      droppedBytes: this.#droppedBytes,
    };
  }

  /**
   * The matching lines after `after`, oldest first, examining at most
   * {@link MAX_SCAN} lines; without `after`, the newest matching lines
   * (scanning back from the newest, as far). A seq beyond the newest reads as
   * omitted.
   */
  since(after: number | undefined, query: RingQuery = {}): RingPage {
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_LIMIT)));
    const match = matcher(query);
    const first = this.firstSeq;
    const last = this.#lastSeq;
    // A seq beyond the newest is another process's (it restarted): read as a first read.
    if (after === undefined || !Number.isFinite(after) || after > last) {
      const found: Entry[] = [];
      for (let s = last, scanned = 0; s >= first && found.length < limit && scanned < MAX_SCAN; s--, scanned++) {
        const e = this.at(s)!;
        if (match(e)) found.push(e);
      }
      return { lines: found.reverse().map(toLine), next: last, more: false, missed: 0 };
    }
    const from = Math.max(Math.floor(after) + 1, first);
    const lines: LogLine[] = [];
    let s = from;
    for (let scanned = 0; s <= last && lines.length < limit && scanned < MAX_SCAN; s++, scanned++) {
      const e = this.at(s)!;
      if (match(e)) lines.push(toLine(e));
    }
    return { lines, next: Math.max(s - 1, Math.floor(after)), more: s <= last, missed: Math.max(0, first - Math.floor(after) - 1) };
  }
}

/** The filter of a read, built once for the whole scan. */
function matcher(q: RingQuery): (e: Entry) => boolean {
  const min = q.level === undefined ? -1 : levelRank(q.level);
  const search = q.search === undefined || q.search === '' ? undefined : new RegExp(q.search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  if (min < 0 && search === undefined) return () => true;
  return (e) => {
    if (min >= 0 && levelRank(e.level) < min) return false;
    return search === undefined || search.test(e.message) || (e.fields !== null && search.test(e.fields));
  };
}
