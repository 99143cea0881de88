import { REDACTED, type Redactor, createRedactor } from './redact.js';
import type { Preview } from '../protocol/index.js';
export type { Preview } from '../protocol/index.js';

/** Limits of a value preview. */
export interface PreviewOptions {
  /**
   * What hides secrets: a field or Map entry whose key looks secret shows
   * `[redacted]`, every string goes through `text` (URL credentials, tokens).
   * Default: the built-in rule; `false`: none.
   */
  redact?: Redactor | false;
  /** Longest string kept; longer ones are cut with a marker. Default: 200. */
  maxString?: number;
  /** Nesting shown. Default: 3. */
  maxDepth?: number;
  /** Keys or items shown per object, array, Map or Set. Default: 20. */
  maxItems?: number;
}

/**
 * Renders any value as JSON-safe data, never throwing and never walking a
 * large structure: cycles become `[Circular]`, BigInt `123n`, functions
 * `[Function name]`, Buffers and typed arrays a short hex preview with their
 * length, class instances their fields under `$class`, long strings a cut
 * with `…[+N chars]`, NaN and infinities their names; getters are not called.
 * Secrets are redacted (see `redact`) before strings are cut.
 */
export function preview(value: unknown, options: PreviewOptions = {}): Preview {
  const redact = options.redact === undefined ? defaultRedactor() : options.redact === false ? undefined : options.redact;
  const o: Limits = { maxString: options.maxString ?? 200, maxDepth: options.maxDepth ?? 3, maxItems: options.maxItems ?? 20, redact };
  return walk(value, o, 0, new Set());
}

interface Limits {
  maxString: number;
  maxDepth: number;
  maxItems: number;
  redact: Redactor | undefined;
}

let builtIn: Redactor | undefined;
function defaultRedactor(): Redactor {
  builtIn ??= createRedactor();
  return builtIn;
}

/** A value under a key that looks secret: hidden, unless there is nothing to hide. */
function secretValue(key: unknown, v: unknown, o: Limits): boolean {
  return o.redact !== undefined && typeof key === 'string' && v !== null && v !== undefined && typeof v !== 'boolean' && v !== '' && o.redact.isSecret(key);
}

function walk(v: unknown, o: Limits, depth: number, seen: Set<object>): Preview {
  switch (typeof v) {
    case 'string': {
      const s = o.redact === undefined ? v : o.redact.text(v);
      return s.length > o.maxString ? `${s.slice(0, o.maxString)}…[+${s.length - o.maxString} chars]` : s;
    }
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'boolean':
      return v;
    case 'bigint':
      return `${v}n`;
    case 'undefined':
      return '[undefined]';
    case 'symbol':
      return v.toString();
    case 'function':
      return `[Function ${v.name || '(anonymous)'}]`;
  }
  if (v === null) return null;
  const obj = v as object;
  if (seen.has(obj)) return '[Circular]';
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? '[Invalid Date]' : obj.toISOString();
  if (obj instanceof RegExp) return obj.toString();
  if (ArrayBuffer.isView(obj)) {
    const bytes = new Uint8Array(obj.buffer, obj.byteOffset, Math.min(obj.byteLength, 16));
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    return `<${obj.constructor.name} ${hex}${obj.byteLength > 16 ? ' …' : ''} (${obj.byteLength} bytes)>`;
  }
  if (obj instanceof ArrayBuffer) return `<ArrayBuffer (${obj.byteLength} bytes)>`;
  if (obj instanceof Error) return { $class: obj.constructor.name, message: walk(obj.message, o, depth + 1, seen) };
  if (obj instanceof Promise || obj instanceof WeakMap || obj instanceof WeakSet) return `[${obj.constructor.name}]`;
  if (depth >= o.maxDepth) return Array.isArray(obj) ? `[Array(${obj.length})]` : `[${className(obj)}]`;
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const out: Preview[] = obj.slice(0, o.maxItems).map((x) => walk(x, o, depth + 1, seen));
      if (obj.length > o.maxItems) out.push(`…[+${obj.length - o.maxItems} items]`);
      return out;
    }
    if (obj instanceof Map || obj instanceof Set) {
      const entries: Preview[] = [];
      let n = 0;
      for (const e of obj instanceof Map ? obj.entries() : obj.values()) {
        if (n++ >= o.maxItems) break;
        if (obj instanceof Map) {
          const [k, x] = e as [unknown, unknown];
          entries.push([walk(k, o, depth + 1, seen), secretValue(k, x, o) ? REDACTED : walk(x, o, depth + 1, seen)]);
        } else entries.push(walk(e, o, depth + 1, seen));
      }
      return { $class: obj.constructor.name, size: obj.size, entries };
    }
    const out: { [key: string]: Preview } = {};
    const name = className(obj);
    if (name !== 'Object') out.$class = name;
    let n = 0;
    for (const key of Object.keys(obj)) {
      if (n++ >= o.maxItems) {
        out['…'] = `[+${Object.keys(obj).length - o.maxItems} keys]`;
        break;
      }
      const d = Object.getOwnPropertyDescriptor(obj, key);
      out[key] = d === undefined ? '[undefined]' : !('value' in d) ? '[Getter]' : secretValue(key, d.value, o) ? REDACTED : walk(d.value, o, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

function className(obj: object): string {
  const proto = Object.getPrototypeOf(obj);
  if (proto === null) return 'Object';
  const name = (proto.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : 'Object';
}
