import { type FamilySnapshot, OVERFLOW_LABEL, type RegistrySnapshot, exposedNames } from '../metrics/index.js';
import { RESERVED_EXPOSED_NAMES as RESERVED } from '../metrics/names.js';
import type { JsonFamily, } from '../protocol/index.js';
import { InvalidAnswer, validateAnswer } from './validate.js';

export type { JsonFamily, JsonSeries } from '../protocol/index.js';

/** One node's part of a scrape: its `/api/metrics` answer as received, or why there is none (a NodeRequestError code). */
export interface NodeMetricsAnswer {
  node: string;
  body?: unknown;
  error?: string;
  /** This node's own registry, validated when each metric was registered: taken as it is, without the bounds on another node's answer. */
  local?: JsonFamily[];
}

/** The label a node's own `node` label becomes, as Prometheus does with `honor_labels: false`. */
export function exportedLabel(name: string, taken: readonly string[]): string {
  let n = `exported_${name}`;
  while (taken.includes(n)) n = `exported_${n}`;
  return n;
}

const num = (v: number | string | undefined): number => (typeof v === 'number' ? v : v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number.NaN);
const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

interface Builder {
  first: JsonFamily;
  /** `node` first, then the family's own (a `node` of its own renamed). */
  labelNames: string[];
  columns: string[][];
  overflow: boolean[];
  values: number[];
  m1: number[];
  m5: number[];
  m15: number[];
  counts: number[];
  sums: number[];
  totals: number[];
}

function compatible(a: JsonFamily, b: JsonFamily): boolean {
  return a.type === b.type && a.labelNames.join('\0') === b.labelNames.join('\0') && (a.buckets ?? []).join(',') === (b.buckets ?? []).join(',');
}

function gauge(name: string, help: string, labelNames: string[], rows: string[][], values: number[]): FamilySnapshot {
  return { name, help, unit: '', labelNames, labelValues: labelNames.map((_, j) => rows.map((r) => r[j]!)), size: rows.length, overflow: -1, type: 'gauge', values: Float64Array.from(values) };
}

/**
 * Merges the metrics of several nodes into one snapshot, every sample labelled
 * with `node`. Each node's answer is validated first (validateAnswer): a
 * malformed one leaves out that node only, with `wobserver_node_up{node} 0` and
 * `wobserver_node_scrape_error{node,code="NODE_METRICS_INVALID"} 1` (and the
 * reason in `invalid`). A family's own `node` label becomes `exported_node`;
 * its overflow series gets `wobserver_overflow="true"` (the others `""`). All
 * samples of a family together (one HELP and TYPE), whatever order the nodes
 * answered in. A family whose type, labels or buckets differ from the first
 * node's (in name order), or whose exposed names another family already
 * holds, is left out for that node (`conflicts` counts them). No input gives
 * two samples of the same name and labels. A pure function.
 */
export function aggregate(answers: readonly NodeMetricsAnswer[], timestamp: number): { snapshot: RegistrySnapshot; conflicts: number; invalid: Map<string, string> } {
  const builders = new Map<string, Builder>();
  const exposed = new Map<string, string>();
  const invalid = new Map<string, string>();
  let conflicts = 0;
  // One answer per node name: a second one of the same name would duplicate its samples.
  const byName = new Map<string, NodeMetricsAnswer>();
  for (const a of answers) if (!byName.has(a.node)) byName.set(a.node, a);
  const sorted = [...byName.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const up: number[] = [];
  const errors: string[][] = [];
  for (const a of sorted) {
    let families: JsonFamily[] | undefined = a.local;
    if (families === undefined && a.error === undefined) {
      try {
        families = validateAnswer(a.body);
      } catch (err) {
        if (!(err instanceof InvalidAnswer)) throw err;
        invalid.set(a.node, err.message);
      }
    }
    up.push(families === undefined ? 0 : 1);
    if (families === undefined) {
      errors.push([a.node, a.error !== undefined ? (CODE.test(a.error) ? a.error : 'NODE_ERROR') : 'NODE_METRICS_INVALID']);
      continue;
    }
    for (const f of families) {
      const names = exposedNames(f.name, f.type);
      let b = builders.get(f.name);
      if (b === undefined) {
        if (names.some((n) => RESERVED.has(n) || exposed.has(n))) {
          conflicts++;
          continue;
        }
        for (const n of names) exposed.set(n, f.name);
        const own = f.labelNames.map((n) => (n === 'node' ? exportedLabel(n, f.labelNames) : n));
        const labelNames = ['node', ...own];
        b = { first: f, labelNames, columns: labelNames.map(() => []), overflow: [], values: [], m1: [], m5: [], m15: [], counts: [], sums: [], totals: [] };
        builders.set(f.name, b);
      } else if (!compatible(b.first, f)) {
        conflicts++;
        continue;
      }
      for (const s of f.series) {
        b.columns[0]!.push(a.node);
        f.labelNames.forEach((n, j) => b!.columns[j + 1]!.push(s.overflow === true ? '' : (s.labels[n] ?? '')));
        b.overflow.push(s.overflow === true);
        if (f.type === 'histogram' || f.type === 'timer') {
          for (const c of s.counts ?? []) b.counts.push(num(c));
          b.sums.push(num(s.sum));
          b.totals.push(num(s.count));
        } else {
          b.values.push(num(s.value));
          if (f.type === 'meter') {
            b.m1.push(num(s.m1));
            b.m5.push(num(s.m5));
            b.m15.push(num(s.m15));
          }
        }
      }
    }
  }
  const families: FamilySnapshot[] = [];
  for (const [name, b] of [...builders].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
    // Overflow series are told apart by wobserver_overflow="true", a label no family may declare.
    const anyOverflow = b.overflow.includes(true);
    const labelNames = anyOverflow ? [...b.labelNames, OVERFLOW_LABEL] : b.labelNames;
    const labelValues = anyOverflow ? [...b.columns, b.overflow.map((o) => (o ? 'true' : ''))] : b.columns;
    const base = { name, help: b.first.help, unit: b.first.unit, labelNames, labelValues, size: b.columns[0]!.length, overflow: -1 };
    const t = b.first.type;
    if (t === 'histogram' || t === 'timer') {
      families.push({ ...base, type: t, buckets: b.first.buckets ?? [], counts: Float64Array.from(b.counts), sums: Float64Array.from(b.sums), totals: Float64Array.from(b.totals) });
    } else if (t === 'meter') {
      families.push({ ...base, type: t, values: Float64Array.from(b.values), m1: Float64Array.from(b.m1), m5: Float64Array.from(b.m5), m15: Float64Array.from(b.m15) });
    } else {
      families.push({ ...base, type: t, values: Float64Array.from(b.values) });
    }
  }
  if (errors.length > 0) families.push(gauge('wobserver_node_scrape_error', 'Why a node is missing from this scrape: 1 for its error code', ['node', 'code'], errors, errors.map(() => 1)));
  families.push(gauge('wobserver_node_up', 'Whether the node answered this scrape in time with valid metrics (1) or not (0)', ['node'], sorted.map((a) => [a.node]), up));
  return { snapshot: { timestamp, families }, conflicts, invalid };
}
