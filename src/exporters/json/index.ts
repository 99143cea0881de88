import { type FamilySnapshot, OVERFLOW_LABEL, type RegistrySnapshot } from '../../metrics/index.js';
import type { JsonFamily, JsonNumber, JsonSeries } from '../../protocol/index.js';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A number as JSON can carry it: non-finite values as the strings Prometheus uses. */
function num(v: number): JsonNumber {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

/** The overflow series is `{ wobserver_overflow: "true" }` (a label no metric may declare), as in the Prometheus formats: never a real label set. */
function labelsOf(f: FamilySnapshot, i: number): Record<string, string> {
  if (i === f.overflow) return { [OVERFLOW_LABEL]: 'true' };
  const out: Record<string, string> = {};
  f.labelNames.forEach((n, j) => {
    out[n] = f.labelValues[j]![i]!;
  });
  return out;
}

function series(f: FamilySnapshot, i: number): JsonSeries {
  const head: JsonSeries = i === f.overflow ? { labels: labelsOf(f, i), overflow: true } : { labels: labelsOf(f, i) };
  switch (f.type) {
    case 'counter':
    case 'gauge':
      return { ...head, value: num(f.values[i]!) };
    case 'meter':
      return { ...head, value: num(f.values[i]!), m1: num(f.m1[i]!), m5: num(f.m5[i]!), m15: num(f.m15[i]!) };
    case 'histogram':
    case 'timer': {
      const width = f.buckets.length + 1;
      return { ...head, count: num(f.totals[i]!), sum: num(f.sums[i]!), counts: Array.from(f.counts.subarray(i * width, (i + 1) * width), num) };
    }
  }
}

/** One family as a plain object: `{ name, type, help, unit, labelNames, buckets?, series: [...] }`. */
export function jsonFamily(f: FamilySnapshot): JsonFamily {
  const rows: JsonSeries[] = [];
  for (let i = 0; i < f.size; i++) rows.push(series(f, i));
  const head = { name: f.name, type: f.type, help: f.help, unit: f.unit, labelNames: f.labelNames, ...(f.type === 'histogram' || f.type === 'timer' ? { buckets: f.buckets } : {}) };
  return { ...head, series: rows };
}

/**
 * The registry as JSON: `{ timestamp, families: [{ name, type, help, unit,
 * labelNames, buckets?, series: [{ labels, overflow?, value | count, sum, counts }] }] }`;
 * the overflow series is `{ labels: { wobserver_overflow: "true" }, overflow: true, ... }`.
 * A pure function of the snapshot, in pieces (one per family).
 */
export function* jsonChunks(snapshot: RegistrySnapshot): Generator<string> {
  yield `{"timestamp":${snapshot.timestamp},"families":[`;
  let first = true;
  for (const f of snapshot.families) {
    yield `${first ? '' : ','}${JSON.stringify(jsonFamily(f))}`;
    first = false;
  }
  yield ']}';
}
