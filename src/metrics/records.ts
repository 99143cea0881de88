import { PERCENTILES } from './histogram.js';
import { OVERFLOW_LABEL } from './names.js';
import type { ClosedInterval, HistogramStats, IntervalFamily, IntervalRecord, MetricType } from './types.js';

/** Which records to read: one metric of a type, or every metric of it. */
export interface IntervalRecordFilter {
  readonly type: MetricType;
  readonly name?: string;
}

/** The label set of series `i` of an interval family (or a family snapshot). */
export function seriesLabels(
  family: Pick<IntervalFamily, 'labelNames' | 'labelValues' | 'overflow'>,
  i: number,
): Record<string, string> {
  if (i === family.overflow) return { [OVERFLOW_LABEL]: 'true' };
  const out: Record<string, string> = {};
  for (let j = 0; j < family.labelNames.length; j++) out[family.labelNames[j]!] = family.labelValues[j]![i]!;
  return out;
}

/** Materialises records from closed intervals, oldest interval first, series in slot order. */
export function recordsOf(closed: readonly ClosedInterval[], filter: IntervalRecordFilter): IntervalRecord[] {
  const out: IntervalRecord[] = [];
  for (const interval of closed) {
    for (const fam of interval.families) {
      if (fam.type !== filter.type || (filter.name !== undefined && fam.name !== filter.name)) continue;
      for (let i = 0; i < fam.size; i++) out.push(record(fam, i, interval.start));
    }
  }
  return out;
}

function record(fam: IntervalFamily, i: number, timestamp: number): IntervalRecord {
  const base = { name: fam.name, labels: seriesLabels(fam, i), timestamp };
  const c = fam.columns;
  switch (fam.type) {
    case 'counter':
      return { ...base, type: 'counter', value: c.value![i]! };
    case 'gauge':
      return c.min === undefined
        ? { ...base, type: 'gauge', value: c.value![i]! }
        : { ...base, type: 'gauge', value: c.value![i]!, min: c.min[i]!, max: c.max![i]!, mean: c.mean![i]! };
    case 'meter':
      return { ...base, type: 'meter', value: c.value![i]!, m1: c.m1![i]!, m5: c.m5![i]!, m15: c.m15![i]! };
    default: {
      const stats: Record<string, number> = {};
      for (const k of ['count', 'sum', 'min', 'max', 'mean', ...PERCENTILES.map(([p]) => p)]) stats[k] = c[k]![i]!;
      return { ...base, type: fam.type, value: stats as unknown as HistogramStats };
    }
  }
}
