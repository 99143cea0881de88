import { WobserverError } from '../metrics/errors.js';
import { METRIC_TYPES, OVERFLOW_LABEL, exposedNames } from '../metrics/index.js';
import { assertLabelNames, assertMetricName } from '../metrics/names.js';
import type { JsonFamily, JsonNumber, JsonSeries } from '../protocol/index.js';

/** Bounds on one node's `/api/metrics` answer (the answer's bytes are bounded by the client too). */
export const ANSWER_LIMITS = {
  /** Families in one node's answer. */
  maxFamilies: 10_000,
  /** Series in one node's answer, all families together. */
  maxSeries: 200_000,
  /** Characters of one family's help text. */
  maxHelp: 10_000,
} as const;

/** Why a node's metrics were not taken: the first thing found wrong. */
export class InvalidAnswer extends WobserverError {
  declare readonly code: 'METRICS_ANSWER_INVALID';
  constructor(message: string) {
    super('METRICS_ANSWER_INVALID', message);
  }
}

const UNIT = /^[a-zA-Z0-9_]+$/;
const NON_FINITE = new Set(['NaN', '+Inf', '-Inf']);

function fail(message: string): never {
  throw new InvalidAnswer(message);
}

/** `NaN`, `+Inf` or `-Inf`: what JSON carries for a value that is not a finite number. */
const isNonFinite = (v: string): v is Exclude<JsonNumber, number> => NON_FINITE.has(v);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function value(v: unknown, where: string, nonNegative: boolean): JsonNumber {
  if (typeof v === 'string' && isNonFinite(v)) {
    if (nonNegative && v === '-Inf') fail(`${where} is -Inf`);
    return v;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${where} is not a number`);
  if (nonNegative && v < 0) fail(`${where} is negative`);
  return v;
}

/**
 * Checks another node's `/api/metrics` answer exactly as local registration
 * checks a metric — names, label names (reserved and duplicate ones too),
 * types, units, buckets, help — and every series: labels for exactly the
 * declared names, string values, no label set twice, values numbers (or
 * `NaN`/`+Inf`/`-Inf`; counters, meters and bucket counts not negative), one
 * overflow series at most, counts bounded by ANSWER_LIMITS. Returns the
 * families rebuilt from what was checked (nothing else of the answer is
 * kept); throws InvalidAnswer at the first problem: one bad family leaves the
 * whole node out, as a node that sends one is not to be believed on the rest.
 */
export function validateAnswer(body: unknown): JsonFamily[] {
  if (!isObject(body) || !Array.isArray(body.families)) fail('the answer has no families array');
  const raw = body.families as unknown[];
  if (raw.length > ANSWER_LIMITS.maxFamilies) fail(`more than ${ANSWER_LIMITS.maxFamilies} families`);
  const exposed = new Map<string, string>();
  const out: JsonFamily[] = [];
  let seriesCount = 0;
  for (const f of raw) {
    if (!isObject(f)) fail('a family is not an object');
    const name = f.name;
    try {
      assertMetricName(name);
    } catch (err) {
      fail((err as Error).message);
    }
    const type = f.type;
    if (typeof type !== 'string' || !(METRIC_TYPES as readonly string[]).includes(type)) fail(`${name} has an unknown type`);
    for (const n of exposedNames(name, type)) {
      if (exposed.has(n)) fail(`${name} exposes "${n}", as ${exposed.get(n)} does`);
      exposed.set(n, name);
    }
    const help = f.help ?? name;
    if (typeof help !== 'string' || help.length > ANSWER_LIMITS.maxHelp) fail(`help of ${name} is not a string of at most ${ANSWER_LIMITS.maxHelp} characters`);
    const unit = f.unit ?? '';
    if (typeof unit !== 'string' || (unit !== '' && (!UNIT.test(unit) || !(name.endsWith('_total') ? name.slice(0, -6) : name).endsWith(`_${unit}`)))) fail(`unit of ${name} is invalid`);
    const labelNames = f.labelNames ?? [];
    try {
      assertLabelNames(labelNames, name);
    } catch (err) {
      fail((err as Error).message);
    }
    let buckets: number[] | undefined;
    const histogram = type === 'histogram' || type === 'timer';
    if (histogram) {
      const b = f.buckets;
      if (!Array.isArray(b) || b.length === 0 || b.length > 1000) fail(`buckets of ${name} are not a non-empty array`);
      b.forEach((x, i) => {
        if (typeof x !== 'number' || !Number.isFinite(x) || (i > 0 && !(x > (b[i - 1] as number)))) fail(`buckets of ${name} are not finite and strictly increasing`);
      });
      buckets = b as number[];
    }
    if (!Array.isArray(f.series)) fail(`${name} has no series array`);
    seriesCount += f.series.length;
    if (seriesCount > ANSWER_LIMITS.maxSeries) fail(`more than ${ANSWER_LIMITS.maxSeries} series`);
    const keys = new Set<string>();
    const series: JsonSeries[] = [];
    let overflows = 0;
    for (const s of f.series as unknown[]) {
      if (!isObject(s) || !isObject(s.labels)) fail(`a series of ${name} has no labels object`);
      const given = s.labels;
      const overflow = s.overflow === true || (Object.keys(given).length === 1 && given[OVERFLOW_LABEL] === 'true' && !labelNames.includes(OVERFLOW_LABEL));
      const labels: Record<string, string> = {};
      if (overflow) {
        if (++overflows > 1) fail(`${name} has two overflow series`);
      } else {
        if (Object.keys(given).length !== labelNames.length) fail(`a series of ${name} does not have exactly the labels ${labelNames.join(', ')}`);
        for (const l of labelNames) {
          const v = given[l];
          if (typeof v !== 'string') fail(`label ${l} of a series of ${name} is not a string`);
          labels[l] = v;
        }
        const key = JSON.stringify(labelNames.map((l) => labels[l]));
        if (keys.has(key)) fail(`${name} has the label set ${key} twice`);
        keys.add(key);
      }
      const where = `a value of ${name}`;
      const row: JsonSeries = { labels, ...(overflow ? { overflow: true } : {}) };
      if (histogram) {
        if (!Array.isArray(s.counts) || s.counts.length !== buckets!.length + 1) fail(`a series of ${name} does not have ${buckets!.length + 1} bucket counts`);
        row.counts = s.counts.map((c) => value(c, where, true));
        row.count = value(s.count, where, true);
        row.sum = value(s.sum, where, false);
      } else {
        const monotonic = type === 'counter' || type === 'meter';
        row.value = value(s.value, where, monotonic);
        if (type === 'meter') {
          row.m1 = value(s.m1, where, false);
          row.m5 = value(s.m5, where, false);
          row.m15 = value(s.m15, where, false);
        }
      }
      series.push(row);
    }
    out.push({ name, type: type as JsonFamily['type'], help, unit, labelNames: [...labelNames], ...(buckets ? { buckets: [...buckets] } : {}), series });
  }
  return out;
}
