/** Levels of nesting kept of a logged object; below them a value is `[deep]`. */
const MAX_DEPTH = 8;
/** Keys of one object, and items of one array, kept; the rest are counted in `…`. */
const MAX_ENTRIES = 200;

/**
 * A logged value as plain JSON data, for a line's fields: errors as their
 * name, message, stack (and own fields), dates as ISO text, bigints as text,
 * bytes, maps, sets and functions described, cycles `[circular]`, bounded in
 * depth and width. Nothing of it throws (a getter or `toJSON` that does is
 * replaced by `[unreadable]`). Not `preview()`: that one is for browsing a
 * table (strings cut at 200 characters, three levels, errors without their
 * stack), where a log line's fields are kept whole; redaction follows, by
 * `redactor.deep`.
 *
 * @example
 * plain({ err: new Error('x'), n: 1n }) // { err: { name: 'Error', message: 'x', stack: '...' }, n: '1n' }
 */
export function plain(value: unknown): unknown {
  return walk(value, 0, new Set());
}

function walk(v: unknown, depth: number, above: Set<object>): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'bigint':
      return `${v}n`;
    case 'undefined':
      return undefined;
    case 'symbol':
      return v.toString();
    case 'function':
      return `[function ${v.name || 'anonymous'}]`;
  }
  if (v === null) return null;
  const o = v as object;
  if (above.has(o)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[deep]';
  above.add(o);
  try {
    return object(o, depth, above);
  } catch {
    return '[unreadable]';
  } finally {
    above.delete(o);
  }
}

function object(o: object, depth: number, above: Set<object>): unknown {
  if (o instanceof Date) return Number.isNaN(o.getTime()) ? 'Invalid Date' : o.toISOString();
  if (ArrayBuffer.isView(o)) return `[${o.constructor.name} ${o.byteLength} bytes]`;
  if (o instanceof ArrayBuffer) return `[ArrayBuffer ${o.byteLength} bytes]`;
  if (o instanceof Map) return `[Map ${o.size}]`;
  if (o instanceof Set) return `[Set ${o.size}]`;
  if (o instanceof RegExp) return String(o);
  if (Array.isArray(o)) {
    const out = o.slice(0, MAX_ENTRIES).map((x) => {
      const y = walk(x, depth + 1, above);
      return y === undefined ? null : y;
    });
    if (o.length > MAX_ENTRIES) out.push(`… ${o.length - MAX_ENTRIES} more`);
    return out;
  }
  if (!(o instanceof Error) && typeof (o as { toJSON?: unknown }).toJSON === 'function') {
    return walk((o as { toJSON(): unknown }).toJSON(), depth + 1, above);
  }
  const out: Record<string, unknown> = {};
  if (o instanceof Error) {
    out.name = o.name;
    out.message = o.message;
    if (typeof o.stack === 'string') out.stack = o.stack;
    if ('code' in o) out.code = walk(o.code, depth + 1, above);
    if (o.cause !== undefined) out.cause = walk(o.cause, depth + 1, above);
  }
  let n = 0;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    if (++n > MAX_ENTRIES) {
      out['…'] = 'more keys';
      break;
    }
    const y = walk((o as Record<string, unknown>)[k], depth + 1, above);
    if (y !== undefined) out[k] = y;
  }
  return out;
}
