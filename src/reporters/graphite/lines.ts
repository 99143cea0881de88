import type { ClosedInterval, IntervalFamily } from '../../metrics/index.js';
import { type LabelStyle, asciiSegmentLength, encodeSegment, nameSegments, writeAsciiSegment } from './path.js';

export interface LineOptions {
  /** Path segments before every metric (the expanded prefix template, already encoded). */
  prefix: readonly string[];
  labels: LabelStyle;
}

/** The values a series of each type sends, as `[path suffix, column]`; an empty suffix is the path itself. */
const STATS: Record<string, [string, string][]> = {
  counter: [['', 'value']],
  gauge: [['', 'value'], ['min', 'min'], ['max', 'max'], ['mean', 'mean']],
  meter: [['count', 'value'], ['m1_rate', 'm1'], ['m5_rate', 'm5'], ['m15_rate', 'm15']],
  histogram: [['count', 'count'], ['sum', 'sum'], ['min', 'min'], ['max', 'max'], ['mean', 'mean'], ['p50', 'p50'], ['p75', 'p75'], ['p95', 'p95'], ['p99', 'p99'], ['p999', 'p999']],
};
STATS.timer = STATS.histogram!;

function multi(f: IntervalFamily): boolean {
  return f.labelNames.length > 0 || (STATS[f.type] ?? []).some(([suffix, col]) => suffix !== '' && f.columns[col] !== undefined);
}

/**
 * The names under which families are sent. A dotted name stays a hierarchy
 * (`db.query.errors`), except when it extends the name of a family that has
 * labels or statistics below it: then its paths could meet that family's, and
 * it is sent as one segment with its dots encoded (`db-2Equery-2Eerrors`).
 * With that, two different series never share a path.
 */
export function familyNames(families: readonly IntervalFamily[]): Map<string, string[]> {
  const branching = families.filter(multi).map((f) => `${f.name}.`);
  const out = new Map<string, string[]>();
  for (const f of families) {
    const extendsBranch = branching.some((b) => f.name.startsWith(b));
    out.set(f.name, extendsBranch ? [encodeSegment(f.name)] : nameSegments(f.name));
  }
  return out;
}

/** A number as carbon reads it; undefined for what is not a finite number. */
function text(v: number | undefined): string | undefined {
  return v === undefined || !Number.isFinite(v) ? undefined : String(v);
}

/**
 * Lines written straight into blocks of bytes, never one line across two
 * blocks; each block goes to `emit` when the next line does not fit, or on
 * `finish`. Every piece is ASCII (paths are encoded, numbers are digits), so
 * a piece is copied as it is, without a string per line, a joined string per
 * slice or a copy to join blocks: a flush of 100,000 series allocates its
 * bytes once, outside the JavaScript heap, and little else.
 */
export class LineWriter {
  readonly blockBytes: number;
  readonly #emit: (data: Buffer, count: number) => void;
  #block: Buffer = Buffer.alloc(0);
  #used = 0;
  #count = 0;

  constructor(blockBytes: number, emit: (data: Buffer, count: number) => void) {
    this.blockBytes = blockBytes;
    this.#emit = emit;
  }

  /** Makes room for a line of `bytes`: the block so far goes out first when the line would not fit in it. */
  start(bytes: number): void {
    if (this.#used + bytes <= this.#block.length) return;
    this.#out();
    // A line longer than a block gets a block of its own.
    this.#block = Buffer.allocUnsafeSlow(Math.max(this.blockBytes, bytes));
    this.#used = 0;
  }

  /**
   * Copies an ASCII piece of the line. A loop over its characters, not
   * `Buffer.write`: the pieces are a few bytes each, and a call into the
   * runtime per piece would cost more than the copy.
   */
  put(piece: string): void {
    const b = this.#block;
    let u = this.#used;
    for (let c = 0; c < piece.length; c++) b[u++] = piece.charCodeAt(c);
    this.#used = u;
  }

  /** Writes a label value encoded as a segment (`asciiSegmentLength` said how long). */
  putSegment(value: string): void {
    this.#used = writeAsciiSegment(value, this.#block, this.#used);
  }

  /** Copies bytes prepared once (a family's path, the timestamp). */
  putBytes(bytes: Uint8Array): void {
    this.#block.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  /** The line that `start` made room for is complete (its pieces end with a newline). */
  end(): void {
    this.#count++;
  }

  /** Sends what was written; the rest of the block is kept for what comes next. */
  finish(): void {
    this.#out();
    this.#block = this.#block.subarray(this.#used);
    this.#used = 0;
  }

  #out(): void {
    if (this.#count > 0) this.#emit(this.#block.subarray(0, this.#used), this.#count);
    this.#count = 0;
  }
}

/**
 * Writes the plaintext lines (`path value timestamp\n`) of series `from` to
 * `to` of one family over one closed interval, at the interval's start in
 * seconds. Values an interval did not have (a histogram's percentiles with no
 * observation) are left out. Returns how many lines.
 */
export function writeFamilyLines(f: IntervalFamily, names: readonly string[], interval: ClosedInterval, o: LineOptions, out: LineWriter, from = 0, to = f.size): number {
  const ts = ` ${Math.floor(interval.start / 1000)}\n`;
  const stats = (STATS[f.type] ?? []).filter(([, col]) => f.columns[col] !== undefined).map(([suffix, col]) => [suffix === '' ? '' : `.${suffix}`, f.columns[col]!] as const);
  const base = [...o.prefix, ...names].join('.');
  const tags = o.labels === 'tags';
  // Before each label value: `.` as a segment, `;name=` as a tag.
  const before = f.labelNames.map((n) => (tags ? `;${encodeSegment(n)}=` : '.'));
  const k = f.labelNames.length;
  const values = new Array<string>(k);
  const ascii = new Array<boolean>(k);
  const labelOut = (j: number): void => {
    out.put(before[j]!);
    if (ascii[j]) out.putSegment(values[j]!);
    else out.put(values[j]!);
  };
  const baseBytes = Buffer.from(base, 'latin1');
  const tsBytes = Buffer.from(ts, 'latin1');
  let lines = 0;
  for (let i = from; i < Math.min(to, f.size); i++) {
    let labelBytes = 0;
    for (let j = 0; j < k; j++) {
      const raw = f.labelValues[j]![i]!;
      // ASCII values (nearly all) are encoded as they are written; others as a string first.
      const n = asciiSegmentLength(raw);
      ascii[j] = n >= 0;
      values[j] = n >= 0 ? raw : encodeSegment(raw);
      labelBytes += before[j]!.length + (n >= 0 ? n : values[j]!.length);
    }
    for (const [suffix, column] of stats) {
      const v = text(column[i]);
      if (v === undefined) continue;
      // `path[.suffix][;tags] value ts`: segments come before the suffix, tags after it.
      out.start(base.length + labelBytes + suffix.length + 1 + v.length + ts.length);
      out.putBytes(baseBytes);
      if (!tags) for (let j = 0; j < k; j++) labelOut(j);
      out.put(suffix);
      if (tags) for (let j = 0; j < k; j++) labelOut(j);
      out.put(' ');
      out.put(v);
      out.putBytes(tsBytes);
      out.end();
      lines++;
    }
  }
  return lines;
}

/** The same lines as strings, one per line with its newline: for tests and tools, not for the flush. */
export function familyLines(f: IntervalFamily, names: readonly string[], interval: ClosedInterval, o: LineOptions, from = 0, to = f.size): string[] {
  const blocks: Buffer[] = [];
  const w = new LineWriter(64 * 1024, (data) => blocks.push(data));
  writeFamilyLines(f, names, interval, o, w, from, to);
  w.finish();
  return Buffer.concat(blocks).toString('latin1').split(/(?<=\n)/).filter((l) => l !== '');
}
