/** Limits of a value preview. */
export interface PreviewOptions {
  /** Longest string kept; longer ones are cut with a marker. Default: 200. */
  maxString?: number;
  /** Nesting shown. Default: 3. */
  maxDepth?: number;
  /** Keys or items shown per object, array, Map or Set. Default: 20. */
  maxItems?: number;
}

/** A JSON-safe preview of any value. */
export type Preview = null | boolean | number | string | Preview[] | { [key: string]: Preview };

/**
 * Renders any value as JSON-safe data, never throwing and never walking a
 * large structure: cycles become `[Circular]`, BigInt `123n`, functions
 * `[Function name]`, Buffers and typed arrays a short hex preview with their
 * length, class instances their fields under `$class`, long strings a cut
 * with `…[+N chars]`, NaN and infinities their names; getters are not called.
 */
export function preview(value: unknown, options: PreviewOptions = {}): Preview {
  const o = { maxString: options.maxString ?? 200, maxDepth: options.maxDepth ?? 3, maxItems: options.maxItems ?? 20 };
  return walk(value, o, 0, new Set());
}

function walk(v: unknown, o: Required<PreviewOptions>, depth: number, seen: Set<object>): Preview {
  switch (typeof v) {
    case 'string':
      return v.length > o.maxString ? `${v.slice(0, o.maxString)}…[+${v.length - o.maxString} chars]` : v;
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
        entries.push(obj instanceof Map ? [walk((e as [unknown, unknown])[0], o, depth + 1, seen), walk((e as [unknown, unknown])[1], o, depth + 1, seen)] : walk(e, o, depth + 1, seen));
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
      out[key] = d === undefined ? '[undefined]' : 'value' in d ? walk(d.value, o, depth + 1, seen) : '[Getter]';
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
