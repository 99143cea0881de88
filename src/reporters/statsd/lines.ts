import type { IntervalFamily } from '../../metrics/index.js';
import { encodeSegment, nameSegments } from '../graphite/path.js';

export type StatsdTags = 'none' | 'dogstatsd';

/** `[name suffix, column, statsd type]` per metric type; histograms and timers send their interval statistics. */
const STATS: Record<string, [string, string, 'c' | 'g'][]> = {
  counter: [['', 'value', 'c']],
  gauge: [['', 'value', 'g'], ['min', 'min', 'g'], ['max', 'max', 'g'], ['mean', 'mean', 'g']],
  meter: [['count', 'value', 'g'], ['m1_rate', 'm1', 'g'], ['m5_rate', 'm5', 'g'], ['m15_rate', 'm15', 'g']],
  histogram: [['count', 'count', 'c'], ['sum', 'sum', 'g'], ['min', 'min', 'g'], ['max', 'max', 'g'], ['mean', 'mean', 'g'], ['p50', 'p50', 'g'], ['p95', 'p95', 'g'], ['p99', 'p99', 'g']],
};
STATS.timer = STATS.histogram!;

/** A DogStatsD tag part: no `,`, `|`, `#` or newline, which would end the tag or the line. */
function tagText(s: string): string {
  return s.replace(/[,|#\n\r]/g, '_');
}

/**
 * The StatsD lines (`name:value|c` or `|g`) of one family over one interval.
 * Without tags, label values are name segments, encoded as for Graphite; with
 * DogStatsD tags they are `|#key:value` tags.
 */
export function statsdLines(f: IntervalFamily, prefix: readonly string[], tags: StatsdTags): string[] {
  const stats = (STATS[f.type] ?? []).filter(([, col]) => f.columns[col] !== undefined);
  const name = [...prefix, ...nameSegments(f.name)];
  const out: string[] = [];
  for (let i = 0; i < f.size; i++) {
    const values = f.labelValues.map((col) => col[i]!);
    const path = tags === 'dogstatsd' || values.length === 0 ? name.join('.') : [...name, ...values.map(encodeSegment)].join('.');
    const tagPart = tags === 'dogstatsd' && values.length > 0 ? `|#${f.labelNames.map((n, j) => `${tagText(n)}:${tagText(values[j]!)}`).join(',')}` : '';
    for (const [suffix, col, type] of stats) {
      const v = f.columns[col]![i]!;
      if (!Number.isFinite(v)) continue;
      out.push(`${suffix === '' ? path : `${path}.${suffix}`}:${v}|${type}${tagPart}`);
    }
  }
  return out;
}

/** Packs lines into packets of at most `maxBytes` (newline-separated, measured in bytes), each with its line count; a line longer than that goes alone. */
export function pack(lines: readonly string[], maxBytes: number): { text: string; count: number }[] {
  const packets: { text: string; count: number }[] = [];
  let current: string[] = [];
  let size = 0;
  for (const l of lines) {
    const n = Buffer.byteLength(l);
    if (current.length > 0 && size + 1 + n > maxBytes) {
      packets.push({ text: current.join('\n'), count: current.length });
      current = [];
      size = 0;
    }
    size += (current.length > 0 ? 1 : 0) + n;
    current.push(l);
  }
  if (current.length > 0) packets.push({ text: current.join('\n'), count: current.length });
  return packets;
}
