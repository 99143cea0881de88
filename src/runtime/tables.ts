import { RuntimeError } from './errors.js';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { preview } from './preview.js';
import { REDACTED, type Redactor, createRedactor } from './redact.js';
import { FIELD, FIELD_SAMPLE, type Ranked, type SortBy, TopK, comparer, fieldOf, fieldsOf, rank } from './table-sort.js';
import type { TableInfo, TableQuery, TablePage } from '../protocol/index.js';
export type { TableInfo, TableQuery, TablePage } from '../protocol/index.js';

/** Anything that can count and list its entries: an LRU cache, a database cursor, ... */
export interface TableSource {
  /** What it is, shown as the table's kind. Default: 'custom'. */
  readonly kind?: string;
  size(): number;
  /** Entries in a stable order, as [key, value]; read lazily, never copied whole. */
  entries(): Iterable<readonly [unknown, unknown]>;
}

/** What can be registered as a table. */
export type Tabular = Map<unknown, unknown> | Set<unknown> | readonly unknown[] | TableSource | Record<string, unknown>;

/**
 * Why a table call failed, with a stable code. `TABLE_FAILED`: the
 * application's table threw while it was read (its size, its entries, a
 * custom source's read) or took longer than the walk's time limit; nothing
 * is thrown into the application, and other tables are unaffected.
 */
export class TableError extends RuntimeError<'TABLE_EXISTS' | 'TABLE_NOT_FOUND' | 'TABLE_INVALID' | 'TABLE_QUERY_INVALID' | 'TABLE_FAILED'> {}

export interface TableRegistryOptions {
  /** What hides secrets in keys and values (a key that looks secret hides its value). Default: the built-in rule. */
  redactor?: Redactor;
}

/** Entries a walk reads beyond the table's own size before it calls the table endless. */
const OVERRUN = 100_000;

interface Entry {
  name: string;
  source: TableSource;
  owner: string;
  description: string;
}

/**
 * The ETS browser's registry: the application registers its in-memory tables
 * by name; the page lists them and reads one page of entries at a time,
 * without copying a table, serialising only the page it returns.
 */
export class TableRegistry {
  #tables = new Map<string, Entry>();
  readonly #redact: Redactor;

  /** `options` may also be the redactor alone. */
  constructor(options: TableRegistryOptions | Redactor = {}) {
    const o: TableRegistryOptions = 'text' in options ? { redactor: options as Redactor } : (options as TableRegistryOptions);
    this.#redact = o.redactor ?? createRedactor();
  }

  /** Registers a table; returns a function that unregisters it. */
  register(name: string, table: Tabular, options: { description?: string } = {}): () => void {
    if (typeof name !== 'string' || !/^[\w.:-]{1,100}$/.test(name)) {
      throw new TableError('TABLE_INVALID', `A table name must be 1-100 of [A-Za-z0-9_.:-], got ${JSON.stringify(name)}`);
    }
    if (this.#tables.has(name)) throw new TableError('TABLE_EXISTS', `A table named "${name}" is already registered`);
    const source = toSource(table);
    if (source === undefined) {
      throw new TableError('TABLE_INVALID', `Table "${name}" must be a Map, Set, array, plain object or { size(), entries() }`);
    }
    this.#tables.set(name, { name, source, owner: callerModule(), description: options.description ?? '' });
    return () => this.unregister(name);
  }

  unregister(name: string): boolean {
    return this.#tables.delete(name);
  }

  /** Every table, with its size and an estimate of its memory. */
  list(): TableInfo[] {
    return [...this.#tables.values()].map((t) => {
      const info: TableInfo = { name: t.name, kind: t.source.kind ?? 'custom', size: 0, estimatedBytes: 0, owner: t.owner, description: t.description };
      try {
        info.size = readSize(t.source);
        info.estimatedBytes = estimate(t.source, info.size);
      } catch (err) {
        info.error = { code: 'TABLE_FAILED', message: this.#failure(t.name, err) };
      }
      return info;
    });
  }

  /**
   * One page of a table's entries, sorted and filtered as asked. A sort, a
   * search or a far page walks the whole table: it does so in slices of at
   * most `sliceMs` (default 8 ms), giving the event loop a turn in between.
   */
  async page(name: string, query: TableQuery = {}, sliceMs = 8): Promise<TablePage> {
    const t = this.#tables.get(name);
    if (t === undefined) throw new TableError('TABLE_NOT_FOUND', `No table named "${name}"`);
    const page = query.page ?? 0;
    const pageSize = query.pageSize ?? 50;
    if (!Number.isInteger(page) || page < 0) throw new TableError('TABLE_QUERY_INVALID', `page must be an integer >= 0, got ${page}`);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new TableError('TABLE_QUERY_INVALID', `pageSize must be an integer from 1 to 1000, got ${pageSize}`);
    }
    const by = this.#sortBy(query.sort);
    if (query.order !== undefined && query.order !== 'asc' && query.order !== 'desc') {
      throw new TableError('TABLE_QUERY_INVALID', `order must be "asc" or "desc", got ${JSON.stringify(query.order)}`);
    }
    try {
      return await this.#walk(t, page, pageSize, query, by, sliceMs);
    } catch (err) {
      throw err instanceof TableError ? err : new TableError('TABLE_FAILED', this.#failure(name, err));
    }
  }

  /** What `sort` names: `key`, `value`, or `value.<field>` (a field of object values, 1-100 of `[A-Za-z0-9_$@:-]`, not one that looks secret). */
  #sortBy(sort: string | undefined): SortBy | undefined {
    if (sort === undefined) return undefined;
    if (sort === 'key' || sort === 'value') return { of: sort };
    if (typeof sort === 'string' && sort.startsWith('value.')) {
      const field = sort.slice('value.'.length);
      if (!FIELD.test(field)) {
        throw new TableError('TABLE_QUERY_INVALID', `sort's field must be 1-100 of [A-Za-z0-9_$@:-], got ${JSON.stringify(field.slice(0, 120))}`);
      }
      // A hidden field sorted on would tell its secret one comparison at a time.
      if (this.#redact.isSecret(field)) throw new TableError('TABLE_QUERY_INVALID', `sort's field "${field}" looks secret: it is shown redacted and cannot be sorted on`);
      return { of: 'field', field };
    }
    throw new TableError('TABLE_QUERY_INVALID', `sort must be "key", "value" or "value.<field>", got ${JSON.stringify(String(sort).slice(0, 120))}`);
  }

  /** Why reading a table failed, in words, redacted: the application's error message may hold anything. */
  #failure(name: string, err: unknown): string {
    let why: string;
    try {
      why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    } catch {
      why = 'an unprintable value';
    }
    return `table "${name}" failed while being read: ${this.#redact.text(why).slice(0, 500)}`;
  }

  async #walk(t: Entry, page: number, pageSize: number, query: TableQuery, by: SortBy | undefined, sliceMs: number): Promise<TablePage> {
    const name = t.name;
    const size = readSize(t.source);
    const needle = query.search?.toLowerCase() ?? '';
    const r = this.#redact;
    // A plain object's keys are names (`dbPassword`): a secret one hides its value. A Map's keys are data (ids), not names.
    const named = t.source.kind === 'Object';
    const hides = (k: unknown, v: unknown): boolean => named && typeof k === 'string' && v !== undefined && v !== null && r.isSecret(k);
    // Searched as shown: a redacted key or value cannot be guessed one letter at a time.
    const matches = (k: unknown, v: unknown): boolean => needle === '' || contains(k, needle, r) || (!hides(k, v) && contains(v, needle, r));
    // An iterator that never ends (or a size that lies by far) is given up, by count: a clock would fail a big table on a busy machine.
    const most = Math.max(2 * size, size + OVERRUN);
    const skip = page * pageSize;
    let rows: (readonly [unknown, unknown])[];
    let matched = 0;
    let slice = performance.now();
    let n = 0;
    // A promise only when it is time to yield: awaiting one per entry would cost a microtask per entry.
    const pause = (): Promise<void> | undefined => {
      if (++n > most) throw new TableError('TABLE_FAILED', `table "${name}" gave more than ${most} entries while its size is ${size}: it looks endless`);
      // The clock every 256 entries: a sorted walk can spend a few µs an entry, and 4,096 of those are a long block.
      if ((n & 255) !== 0 || performance.now() - slice < sliceMs) return undefined;
      return sleep(0).then(() => void (slice = performance.now()));
    };
    // The columns come from the table's first entries, whatever the page, sort or search: they do not change from page to page.
    const sample: unknown[] = [];
    const look = (e: readonly [unknown, unknown]): void => void (sample.length < FIELD_SAMPLE && sample.push(e[1]));
    if (by === undefined) {
      rows = [];
      const it = t.source.entries()[Symbol.iterator]();
      try {
        for (let x = it.next(); !x.done; x = it.next()) {
          const e = x.value;
          const turn = pause();
          if (turn) await turn;
          look(e);
          if (!matches(e[0], e[1])) continue;
          if (matched >= skip && rows.length < pageSize) rows.push(e);
          matched++;
          if (needle === '' && rows.length === pageSize) {
            matched = size;
            // A short first page reads on only as far as the columns' sample.
            while (sample.length < FIELD_SAMPLE) {
              const y = it.next();
              if (y.done) break;
              look(y.value);
            }
            break;
          }
        }
      } finally {
        it.return?.();
      }
    } else {
      type Row = readonly [unknown, unknown];
      // Keep only the first skip+pageSize entries in order (a bounded heap), never the whole table sorted.
      // Each entry's sort key is computed once, as it is read; ties keep the table's order.
      const keep = new TopK<Ranked<Row>>(skip + pageSize, comparer(query.order === 'desc' ? -1 : 1));
      const hidden = (k: string): boolean => r.isSecret(k);
      // A hidden value sorts as shown, so that its order tells nothing.
      const sortKey =
        by.of === 'key' ? (e: Row) => e[0] : by.of === 'value' ? (e: Row) => (hides(e[0], e[1]) ? REDACTED : e[1]) : (e: Row) => (hides(e[0], e[1]) ? undefined : fieldOf(e[1], by.field));
      let i = 0;
      const scratch: Ranked<Row> = { r: 0, v: 0, i: 0, e: [undefined, undefined] };
      for (const e of t.source.entries()) {
        const turn = pause();
        if (turn) await turn;
        look(e);
        if (!matches(e[0], e[1])) continue;
        matched++;
        // Most entries of a big table do not make the page: each is ranked into one scratch record, copied only when kept.
        rank(sortKey(e), i++, e, hidden, scratch);
        if (keep.wants(scratch)) keep.push({ r: scratch.r, v: scratch.v, i: scratch.i, e: scratch.e });
      }
      rows = keep.sorted().slice(skip).map((x) => x.e);
    }
    return {
      name,
      kind: t.source.kind ?? 'custom',
      size,
      matched: needle === '' ? size : matched,
      page,
      pageSize,
      fields: fieldsOf(sample, (k) => r.isSecret(k)),
      entries: rows.map(([k, v]) => ({
        key: preview(k, { maxDepth: 1, redact: r }),
        value: hides(k, v) ? REDACTED : preview(v, { redact: r }),
      })),
    };
  }
}

function toSource(table: Tabular): TableSource | undefined {
  if (table instanceof Map) return { kind: 'Map', size: () => table.size, entries: () => table.entries() };
  if (table instanceof Set) return { kind: 'Set', size: () => table.size, entries: () => mapIter(table.values(), (v) => [v, v] as const) };
  if (Array.isArray(table)) return { kind: 'Array', size: () => table.length, entries: () => table.entries() };
  const t = table as Partial<TableSource>;
  if (table !== null && typeof table === 'object' && typeof t.size === 'function' && typeof t.entries === 'function') {
    return { kind: t.kind ?? 'custom', size: () => t.size!(), entries: () => t.entries!() };
  }
  if (table !== null && typeof table === 'object') {
    const obj = table as Record<string, unknown>;
    return { kind: 'Object', size: () => Object.keys(obj).length, entries: () => mapIter(Object.keys(obj)[Symbol.iterator](), (k) => [k, obj[k]] as const) };
  }
  return undefined;
}

function* mapIter<A, B>(it: Iterator<A>, f: (a: A) => B): Generator<B> {
  for (let r = it.next(); !r.done; r = it.next()) yield f(r.value);
}

/** The table's size; a size that is not a count reads 0, a size that throws throws. */
function readSize(s: TableSource): number {
  const n = s.size();
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0;
}

function contains(v: unknown, needle: string, r: Redactor): boolean {
  // Redaction only hides text, so a string that lacks the needle cannot show it: most entries of a search stop at the first test.
  if (typeof v === 'string') return v.toLowerCase().includes(needle) && r.text(v).toLowerCase().includes(needle);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v).toLowerCase().includes(needle);
  return false;
}

/** Average bytes of up to 64 sampled entries times the size: strings 2 bytes a character, numbers 8, objects their fields. */
function estimate(s: TableSource, size: number): number {
  if (size === 0) return 0;
  let n = 0;
  let bytes = 0;
  // A table whose entries throw throws here too: `list` marks it failed.
  for (const [k, v] of s.entries()) {
    bytes += 32 + sizeOf(k, 0) + sizeOf(v, 0);
    if (++n >= 64) break;
  }
  return n === 0 ? 0 : Math.round((bytes / n) * size);
}

function sizeOf(v: unknown, depth: number): number {
  if (typeof v === 'string') return 16 + v.length * 2;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return 8;
  if (typeof v === 'bigint') return 16;
  if (typeof v !== 'object') return 32;
  if (ArrayBuffer.isView(v)) return 64 + v.byteLength;
  if (depth >= 2) return 32;
  let total = 32;
  let i = 0;
  for (const key of Object.keys(v)) {
    if (i++ >= 32) break;
    total += 8 + sizeOf((v as Record<string, unknown>)[key], depth + 1);
  }
  return total;
}

/** The file that called `register` (the first frame outside this module and Node's own). */
function callerModule(): string {
  const self = fileURLToPath(import.meta.url);
  const stack = new Error().stack?.split('\n').slice(1) ?? [];
  for (const line of stack) {
    const m = /\((.*):\d+:\d+\)$/.exec(line) ?? /at (.*):\d+:\d+$/.exec(line);
    let file = m?.[1];
    if (file === undefined || file.startsWith('node:')) continue;
    if (file.startsWith('file://')) file = fileURLToPath(file);
    if (file !== self) return file;
  }
  return 'unknown';
}
