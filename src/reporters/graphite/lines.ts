import type { ClosedInterval, IntervalFamily } from '../../metrics/index.js';
import { type LabelStyle, encodeSegment, nameSegments } from './path.js';

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
 * The plaintext lines (`path value timestamp\n`) of one family over one closed
 * interval, at the interval's start in seconds. Values an interval did not
 * have (a histogram's percentiles with no observation) are left out.
 */
export function familyLines(f: IntervalFamily, names: readonly string[], interval: ClosedInterval, o: LineOptions, from = 0, to = f.size): string[] {
  const ts = ` ${Math.floor(interval.start / 1000)}\n`;
  const stats = (STATS[f.type] ?? []).filter(([, col]) => f.columns[col] !== undefined);
  const base = [...o.prefix, ...names].join('.');
  const tags = o.labels === 'tags';
  const labelKeys = f.labelNames.map((n) => `;${encodeSegment(n)}=`);
  const out: string[] = [];
  for (let i = from; i < Math.min(to, f.size); i++) {
    // The path without statistics suffix, and the tags that follow it.
    let path = base;
    let tail = '';
    for (let j = 0; j < f.labelNames.length; j++) {
      const v = encodeSegment(f.labelValues[j]![i]!);
      if (tags) tail += `${labelKeys[j]}${v}`;
      else path += `.${v}`;
    }
    for (const [suffix, col] of stats) {
      const v = text(f.columns[col]![i]);
      if (v === undefined) continue;
      out.push(`${suffix === '' ? path : `${path}.${suffix}`}${tail} ${v}${ts}`);
    }
  }
  return out;
}
