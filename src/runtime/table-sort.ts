// How the Tables page sorts: one total order over any values, keys or object fields,
// a bounded heap that keeps only a page's worth of a table, and the fields shown as columns.

/** A field of object values that can be sorted on or shown as a column: 1-100 of `[A-Za-z0-9_$@:-]`. */
export const FIELD = /^[\w$@:-]{1,100}$/;

/** Fields offered as columns: read from this many first entries, at most this many fields. */
export const FIELD_SAMPLE = 50;
export const MAX_FIELDS = 12;

/** What a sort reads of an entry: its key, its value, or one field of its value. */
export type SortBy = { of: 'key' } | { of: 'value' } | { of: 'field'; field: string };

/**
 * A sort key's rank: numbers, then strings, then booleans, then objects and
 * arrays (by canonical JSON), then null; missing (no such field, undefined) last.
 */
const NUMBER = 0;
const STRING = 1;
const BOOLEAN = 2;
const OBJECT = 3;
const NULL = 4;
const MISSING = 5;

/** An entry as the heap holds it: its rank and comparable, and its place in the table (ties keep the table's order). */
export interface Ranked<E> {
  r: number;
  v: number | bigint | string;
  i: number;
  e: E;
}

/** The sort key of one value, written into `into`: computed once per entry read. */
export function rank<E>(x: unknown, i: number, e: E, hidden: (k: string) => boolean, into: Ranked<E>): void {
  into.i = i;
  into.e = e;
  into.v = 0;
  switch (typeof x) {
    case 'number':
      into.r = Number.isNaN(x) ? STRING : NUMBER;
      into.v = Number.isNaN(x) ? 'NaN' : x;
      break;
    case 'bigint':
      into.r = NUMBER;
      into.v = x;
      break;
    case 'string':
      into.r = STRING;
      into.v = x;
      break;
    case 'boolean':
      into.r = BOOLEAN;
      into.v = x ? 1 : 0;
      break;
    case 'undefined':
      into.r = MISSING;
      break;
    case 'object':
      into.r = x === null ? NULL : OBJECT;
      if (x !== null) into.v = canonical(x, hidden);
      break;
    default:
      // Functions and symbols: by their name, among objects.
      into.r = OBJECT;
      into.v = String(x);
  }
}

/** The field's own value, or undefined: getters are never called (reading a table must not run the application's code). */
export function fieldOf(x: unknown, field: string): unknown {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const d = Object.getOwnPropertyDescriptor(x, field);
  return d !== undefined && 'value' in d ? d.value : undefined;
}

/** The comparison of two ranked entries; `sign` -1 reverses everything but where missing values go (last, always). */
export function comparer<E>(sign: 1 | -1): (a: Ranked<E>, b: Ranked<E>) => number {
  return (a, b) => {
    if (a.r !== b.r) return a.r === MISSING ? 1 : b.r === MISSING ? -1 : sign * (a.r - b.r);
    let c = 0;
    if (a.r === STRING || a.r === OBJECT) c = natural(a.v as string, b.v as string);
    else if (a.v !== b.v) c = a.v < b.v ? -1 : 1;
    return c !== 0 ? sign * c : a.i - b.i;
  };
}

/**
 * Natural order of text: runs of digits compare by their number (`item2` before
 * `item10`, `a01` beside `a1`), everything else by code unit.
 */
export function natural(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  let i = 0;
  let j = 0;
  while (i < la && j < lb) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      // Skip leading zeros, then the longer run is the bigger number, then the first different digit.
      let si = i;
      let sj = j;
      while (si < la && a.charCodeAt(si) === 48) si++;
      while (sj < lb && b.charCodeAt(sj) === 48) sj++;
      let ei = si;
      let ej = sj;
      while (ei < la && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < lb && isDigit(b.charCodeAt(ej))) ej++;
      if (ei - si !== ej - sj) return ei - si - (ej - sj);
      for (let k = 0; k < ei - si; k++) {
        const d = a.charCodeAt(si + k) - b.charCodeAt(sj + k);
        if (d !== 0) return d;
      }
      // Equal numbers: fewer leading zeros first, so that the order stays total.
      if (ei - i !== ej - j) return ei - i - (ej - j);
      i = ei;
      j = ej;
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return la - i - (lb - j);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** How much of a value its canonical JSON reads: nesting, keys per object, characters. */
const CANON_DEPTH = 3;
const CANON_ITEMS = 20;
const CANON_CHARS = 256;

/**
 * A stable text of an object for sorting: keys in natural order, at most 3
 * levels, 20 keys or items each, 256 characters; a key that looks secret has
 * its value hidden (an order would otherwise tell it one comparison at a time).
 */
export function canonical(x: object, hidden: (k: string) => boolean): string {
  let out = '';
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v !== 'object' || v === null) {
      out += typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol' ? JSON.stringify(String(v)) : String(v);
      return out.length < CANON_CHARS;
    }
    if (depth >= CANON_DEPTH || ArrayBuffer.isView(v) || v instanceof Map || v instanceof Set) {
      out += `"[${v.constructor?.name ?? 'Object'}]"`;
      return out.length < CANON_CHARS;
    }
    if (Array.isArray(v)) {
      out += '[';
      for (let k = 0; k < v.length && k < CANON_ITEMS; k++) {
        if (k > 0) out += ',';
        if (!walk(v[k], depth + 1)) return false;
      }
      out += ']';
      return out.length < CANON_CHARS;
    }
    const shape = shapeOf(v, hidden);
    out += '{';
    for (let k = 0; k < shape.keys.length; k++) {
      out += shape.heads[k]!;
      if (shape.hidden[k]) out += '"[redacted]"';
      else if (!walk(fieldOf(v, shape.keys[k]!), depth + 1)) return false;
      if (out.length >= CANON_CHARS) return false;
    }
    out += '}';
    return out.length < CANON_CHARS;
  };
  walk(x, 0);
  return out.length > CANON_CHARS ? out.slice(0, CANON_CHARS) : out;
}

/** An object's keys as canonical JSON writes them: sorted, each with its `"key":` text and whether it is hidden. */
interface Shape {
  keys: string[];
  heads: string[];
  hidden: boolean[];
}

/**
 * Objects of a table mostly share their keys, in the same order: the sorted keys
 * are worked out once per list of keys, not once per object (a million objects,
 * a handful of shapes). The cache is cleared when it grows past a bound.
 */
const shapes = new Map<string, Shape>();
function shapeOf(v: object, hidden: (k: string) => boolean): Shape {
  const own = Object.keys(v);
  const id = own.length > 200 ? '' : own.join('\u0000');
  let shape = id === '' ? undefined : shapes.get(id);
  if (shape === undefined) {
    const keys = own.slice(0, 200).sort(natural).slice(0, CANON_ITEMS);
    shape = { keys, heads: keys.map((k, i) => `${i > 0 ? ',' : ''}${JSON.stringify(k)}:`), hidden: keys.map(hidden) };
    if (id !== '') {
      if (shapes.size >= 1000) shapes.clear();
      shapes.set(id, shape);
    }
  }
  return shape;
}

/** The fields of plain-object values among `values`, as columns: the union of their own keys that are valid field names, natural order, capped. */
export function fieldsOf(values: Iterable<unknown>, hidden: (k: string) => boolean): string[] {
  const seen = new Set<string>();
  for (const v of values) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v) || v instanceof Map || v instanceof Set) continue;
    let n = 0;
    for (const k in v) {
      if (++n > 200) break;
      if (Object.hasOwn(v, k) && FIELD.test(k) && !hidden(k)) seen.add(k);
    }
    // The cap is on what is shown, not on what is seen: read a few more, so the cut is not just the first object's keys.
    if (seen.size > 4 * MAX_FIELDS) break;
  }
  return [...seen].sort(natural).slice(0, MAX_FIELDS);
}

/** The k smallest items by `cmp`, in a binary max-heap: a sorted page never holds more than (page+1)·pageSize entries. */
export class TopK<T> {
  readonly #k: number;
  readonly #cmp: (a: T, b: T) => number;
  readonly #heap: T[] = [];

  constructor(k: number, cmp: (a: T, b: T) => number) {
    this.#k = k;
    this.#cmp = cmp;
  }

  /** Whether `x` would be kept: most entries of a big table are turned away by this one comparison. */
  wants(x: T): boolean {
    return this.#heap.length < this.#k || this.#cmp(x, this.#heap[0]!) < 0;
  }

  push(x: T): void {
    const h = this.#heap;
    if (h.length < this.#k) {
      h.push(x);
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (this.#cmp(h[i]!, h[p]!) <= 0) break;
        const t = h[i]!;
        h[i] = h[p]!;
        h[p] = t;
        i = p;
      }
    } else if (this.#cmp(x, h[0]!) < 0) {
      h[0] = x;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#cmp(h[l]!, h[m]!) > 0) m = l;
        if (r < h.length && this.#cmp(h[r]!, h[m]!) > 0) m = r;
        if (m === i) break;
        const t = h[i]!;
        h[i] = h[m]!;
        h[m] = t;
        i = m;
      }
    }
  }

  sorted(): T[] {
    return [...this.#heap].sort(this.#cmp);
  }
}
