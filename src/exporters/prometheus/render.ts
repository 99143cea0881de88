import { counterBase, prometheusName, type FamilySnapshot, type RegistrySnapshot } from '../../metrics/index.js';
import { formatValue } from './escape.js';
import { labelPairs } from './labels.js';

/** What differs between the Prometheus text format 0.0.4 and OpenMetrics 1.0. */
export interface Dialect {
  /** Family name of a counter (or meter) whose name without `_total` is `base`. */
  counterFamily(base: string): string;
  escapeHelp(help: string): string;
  /** Whether to write `# UNIT` lines. */
  units: boolean;
  /** A histogram bucket bound as the `le` label value. */
  bound(v: number): string;
  /** What ends the exposition. */
  end: string;
}

/** Lines per yielded chunk: small enough to write and yield between, large enough to amortise. */
export const CHUNK_LINES = 512;

/**
 * Renders a snapshot in pieces of about `chunkLines` lines, each family's
 * samples together under one HELP and TYPE. A pure function of the snapshot:
 * the caller decides when to write each piece and when to yield.
 */
export function* renderChunks(snapshot: RegistrySnapshot, dialect: Dialect, chunkLines = CHUNK_LINES): Generator<string> {
  let parts: string[] = [];
  let lines = 0;
  for (const family of snapshot.families) {
    const samples = family.type === 'histogram' || family.type === 'timer' ? family.buckets.length + 3 : 1;
    lines += header(parts, family, dialect);
    // Families with many series are split across chunks; the lines still come in order.
    for (let start = 0; start < family.size; ) {
      const room = Math.max(1, Math.floor((chunkLines - lines) / samples));
      const end = Math.min(family.size, start + room);
      body(parts, family, dialect, labelPairs(family, end), start, end);
      lines += (end - start) * samples;
      start = end;
      if (lines >= chunkLines) {
        yield parts.join('');
        parts = [];
        lines = 0;
      }
    }
  }
  parts.push(dialect.end);
  yield parts.join('');
}

function header(out: string[], family: FamilySnapshot, d: Dialect): number {
  const name = familyName(family, d);
  out.push(`# HELP ${name} ${d.escapeHelp(family.help)}\n# TYPE ${name} ${promType(family)}\n`);
  if (d.units && family.unit !== '') {
    out.push(`# UNIT ${name} ${family.unit}\n`);
    return 3;
  }
  return 2;
}

function body(out: string[], family: FamilySnapshot, d: Dialect, pairs: readonly string[], start: number, end: number): void {
  switch (family.type) {
    case 'counter':
    case 'meter': {
      const sample = `${counterBase(prometheusName(family.name))}_total`;
      scalars(out, sample, family.values, pairs, start, end);
      return;
    }
    case 'gauge':
      scalars(out, prometheusName(family.name), family.values, pairs, start, end);
      return;
    default: {
      const name = prometheusName(family.name);
      const bounds = family.buckets.map((b) => `le="${d.bound(b)}"}`);
      bounds.push('le="+Inf"}');
      const stride = bounds.length;
      const { counts, sums, totals } = family;
      for (let i = start; i < end; i++) {
        const p = pairs[i]!;
        const open = p === '' ? `${name}_bucket{` : `${name}_bucket{${p},`;
        const own = p === '' ? '' : `{${p}}`;
        let cumulative = 0;
        let s = '';
        for (let b = 0; b < stride; b++) {
          cumulative += counts[i * stride + b]!;
          s += `${open}${bounds[b]} ${formatValue(cumulative)}\n`;
        }
        s += `${name}_sum${own} ${formatValue(sums[i]!)}\n${name}_count${own} ${formatValue(totals[i]!)}\n`;
        out.push(s);
      }
    }
  }
}

function scalars(out: string[], sample: string, values: Float64Array, pairs: readonly string[], start: number, end: number): void {
  let s = '';
  for (let i = start; i < end; i++) {
    const p = pairs[i]!;
    s += p === '' ? `${sample} ${formatValue(values[i]!)}\n` : `${sample}{${p}} ${formatValue(values[i]!)}\n`;
  }
  out.push(s);
}

function familyName(family: FamilySnapshot, d: Dialect): string {
  const name = prometheusName(family.name);
  return family.type === 'counter' || family.type === 'meter' ? d.counterFamily(counterBase(name)) : name;
}

function promType(family: FamilySnapshot): string {
  switch (family.type) {
    case 'counter':
    case 'meter':
      return 'counter';
    case 'gauge':
      return 'gauge';
    default:
      return 'histogram';
  }
}
