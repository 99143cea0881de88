import type { FamilySnapshot, RegistrySnapshot } from '../metrics/index.js';

/** One family as `/api/metrics` carries it (the JSON exporter's shape). */
export interface JsonFamily {
  name: string;
  type: 'counter' | 'gauge' | 'meter' | 'histogram' | 'timer';
  help: string;
  unit: string;
  labelNames: string[];
  buckets?: number[];
  series: { labels: Record<string, string>; value?: number | string; count?: number | string; sum?: number | string; counts?: (number | string)[]; m1?: number | string; m5?: number | string; m15?: number | string }[];
}

const num = (v: number | string | undefined): number => (typeof v === 'number' ? v : v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number.NaN);

interface Builder {
  first: JsonFamily;
  labelNames: string[];
  columns: string[][];
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

/**
 * Merges the metrics of several nodes into one snapshot, every sample labelled
 * with `node`: all samples of a family together (one HELP and TYPE), whatever
 * order the nodes answered in, and `wobserver_node_up{node}` for each node
 * asked. A family whose type, labels or buckets differ from the first node's
 * is left out for that node (`conflicts` counts them). A pure function.
 */
export function aggregate(answers: { node: string; families: JsonFamily[] | undefined }[], timestamp: number): { snapshot: RegistrySnapshot; conflicts: number } {
  const builders = new Map<string, Builder>();
  let conflicts = 0;
  const sorted = [...answers].sort((a, b) => a.node.localeCompare(b.node));
  for (const { node, families } of sorted) {
    for (const f of families ?? []) {
      if (f.labelNames.includes('node')) {
        conflicts++;
        continue;
      }
      let b = builders.get(f.name);
      if (b === undefined) {
        const labelNames = ['node', ...f.labelNames];
        b = { first: f, labelNames, columns: labelNames.map(() => []), values: [], m1: [], m5: [], m15: [], counts: [], sums: [], totals: [] };
        builders.set(f.name, b);
      } else if (!compatible(b.first, f)) {
        conflicts++;
        continue;
      }
      for (const s of f.series) {
        b.columns[0]!.push(node);
        f.labelNames.forEach((n, j) => b!.columns[j + 1]!.push(s.labels[n] ?? ''));
        if (f.type === 'histogram' || f.type === 'timer') {
          const width = (f.buckets?.length ?? 0) + 1;
          for (let k = 0; k < width; k++) b.counts.push(num(s.counts?.[k]));
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
  for (const [name, b] of [...builders].sort((x, y) => x[0].localeCompare(y[0]))) {
    const base = { name, help: b.first.help, unit: b.first.unit, labelNames: b.labelNames, labelValues: b.columns, size: b.columns[0]!.length, overflow: -1 };
    const t = b.first.type;
    if (t === 'histogram' || t === 'timer') {
      families.push({ ...base, type: t, buckets: b.first.buckets ?? [], counts: Float64Array.from(b.counts), sums: Float64Array.from(b.sums), totals: Float64Array.from(b.totals) });
    } else if (t === 'meter') {
      families.push({ ...base, type: t, values: Float64Array.from(b.values), m1: Float64Array.from(b.m1), m5: Float64Array.from(b.m5), m15: Float64Array.from(b.m15) });
    } else {
      families.push({ ...base, type: t, values: Float64Array.from(b.values) });
    }
  }
  families.push({
    name: 'wobserver_node_up',
    help: 'Whether the node answered this scrape in time (1) or not (0)',
    unit: '',
    labelNames: ['node'],
    labelValues: [sorted.map((a) => a.node)],
    size: sorted.length,
    overflow: -1,
    type: 'gauge',
    values: Float64Array.from(sorted.map((a) => (a.families === undefined ? 0 : 1))),
  });
  return { snapshot: { timestamp, families }, conflicts };
}
