/**
 * Graphite paths from metric names and labels. Carbon turns each dot-separated
 * segment into a folder or file name, so a segment keeps only `A-Z a-z 0-9 _`
 * as they are; `-` is the escape character: `-` itself becomes `--` and any
 * other character becomes `-` and its UTF-8 bytes in hex (`/` → `-2F`). The
 * mapping is one-to-one — two different values never share a segment — and
 * readable for the usual names. An empty value is `-`.
 */
export function encodeSegment(value: string): string {
  if (value === '') return '-';
  if (PLAIN.test(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 128) {
      out += ASCII[c]!;
      continue;
    }
    // Outside ASCII: the code point's UTF-8 bytes (a surrogate pair is one code point).
    const cp = value.codePointAt(i)!;
    if (cp > 0xffff) i++;
    for (const byte of Buffer.from(String.fromCodePoint(cp), 'utf8')) out += `-${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const PLAIN = /^[A-Za-z0-9_]+$/;
/** What each ASCII character becomes. */
const ASCII = Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_]/.test(ch)) return ch;
  if (ch === '-') return '--';
  return `-${c.toString(16).toUpperCase().padStart(2, '0')}`;
});

/**
 * The length of `value` encoded, when it is ASCII (then `writeAsciiSegment`
 * writes it without building the string); -1 when it is not.
 */
export function asciiSegmentLength(value: string): number {
  if (value === '') return 1;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) return -1;
    n += ASCII[c]!.length;
  }
  return n;
}

/** Writes the encoding of an ASCII `value` into `out` at `at`; returns where it ends. The same bytes as `encodeSegment`. */
export function writeAsciiSegment(value: string, out: Uint8Array, at: number): number {
  if (value === '') {
    out[at] = 0x2d;
    return at + 1;
  }
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const e = ASCII[c]!;
    if (e.length === 1) out[at++] = c;
    else for (let k = 0; k < e.length; k++) out[at++] = e.charCodeAt(k);
  }
  return at;
}

/** The inverse of `encodeSegment` (for tests and tools). */
export function decodeSegment(segment: string): string {
  if (segment === '-') return '';
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c !== '-') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    if (segment[i + 1] === '-') {
      bytes.push(0x2d);
      i++;
      continue;
    }
    bytes.push(Number.parseInt(segment.slice(i + 1, i + 3), 16));
    i += 2;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A metric name as path segments: its dots separate segments (metronome-style names), each segment encoded. */
export function nameSegments(name: string): string[] {
  return name.split('.').map(encodeSegment);
}

/** How labels appear in a path. */
export type LabelStyle = 'segments' | 'tags';

/**
 * The path of one series: `prefix.name.value1.value2` (label values as
 * segments, in the metric's label order, each encoded), or with `tags`,
 * Graphite tags `prefix.name;k1=v1;k2=v2` (values encoded the same way, so no
 * `;`, `~` or `=` can break the line).
 */
export function seriesPath(
  prefix: readonly string[],
  name: string,
  labelNames: readonly string[],
  labelValues: readonly string[],
  style: LabelStyle,
  /** `name` is already encoded segments joined by dots. */
  encoded = false,
): string {
  const base = [...prefix, ...(encoded ? [name] : nameSegments(name))].join('.');
  if (labelNames.length === 0) return base;
  if (style === 'tags') return `${base}${labelNames.map((n, i) => `;${encodeSegment(n)}=${encodeSegment(labelValues[i]!)}`).join('')}`;
  return `${base}.${labelValues.map(encodeSegment).join('.')}`;
}
