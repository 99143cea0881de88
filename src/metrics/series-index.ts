import { MetricsError, show } from './errors.js';
import type { LabelValue, Labels } from './types.js';

/** What a metric does when the index adds, moves or drops a series. */
export interface SeriesStore {
  /** Make room for series `id` (ids are dense, 0..size-1). */
  ensure(id: number): void;
  /** Series `from` now lives at `to` (a removal swapped it into the hole). */
  move(from: number, to: number): void;
  /** Series `id` was dropped; its slot will be reused. */
  drop(id: number): void;
}

type Level = Map<string, Level | number>;

/**
 * Maps label sets to dense series ids, structurally: one nested `Map` level per
 * label name, so two distinct label sets can never share a key (prom-client's
 * concatenated keys merge `{a:"1,b:2"}` with `{a:"1",b:"2"}`). Label values are
 * kept in columns, one array per label name.
 *
 * The hit path costs one `Map.get` per label. Full validation (every declared
 * label present, no other key, each value a string, number or boolean) runs on
 * the miss path, which every new label set takes: a label set is checked
 * completely the first time it is used. Once its series exists, an update is
 * matched on the declared labels alone and an additional key is not looked
 * for; counting an object's keys on every call would cost a third of an update.
 */
export class SeriesIndex {
  readonly names: readonly string[];
  readonly metric: string;
  /** `columns[j][id]` is the value of label `names[j]` for series `id`. Replaced, never mutated, on removal. */
  columns: string[][];
  size = 0;
  /** Id of the overflow series, or -1. */
  overflow = -1;
  /** How many new label sets the cardinality limit redirected to the overflow series. */
  redirected = 0;
  /** Label set to series id; throws `LABELS_MISMATCH` or `INVALID_LABEL_VALUE`. */
  readonly get: (labels: Labels) => number;

  readonly #limit: number;
  readonly #store: SeriesStore;
  readonly #onOverflow: () => void;
  #root: Level = new Map();

  constructor(metric: string, names: readonly string[], limit: number, store: SeriesStore, onOverflow: () => void) {
    this.metric = metric;
    this.names = names;
    this.#limit = limit;
    this.#store = store;
    this.#onOverflow = onOverflow;
    this.columns = names.map(() => []);
    this.get = this.#compile();
  }

  /** Series id of positional label values (in declaration order). */
  getValues(values: readonly LabelValue[]): number {
    if (!Array.isArray(values) || values.length !== this.names.length) {
      throw new MetricsError(
        'LABELS_MISMATCH',
        `${this.metric} takes ${this.names.length} label values (${this.names.join(', ')}), got ${show(values)}`,
      );
    }
    return this.#findOrCreate(values.map((v, j) => this.#normalize(v, j)));
  }

  /** Series id of a label set, or -1 when it has no series (never creates one). */
  find(labels: Labels): number {
    const values = this.#valuesOf(labels);
    return this.#walk(values);
  }

  /** Label set of series `id`, as strings. */
  labelsOf(id: number): Record<string, string> {
    const out: Record<string, string> = {};
    if (id === this.overflow) return { wobserver_overflow: 'true' };
    for (let j = 0; j < this.names.length; j++) out[this.names[j]!] = this.columns[j]![id]!;
    return out;
  }

  /** Removes the series of `labels`; returns whether it existed. The last series moves into its slot. */
  remove(labels: Labels): boolean {
    if (this.names.length === 0) return false;
    const values = this.#valuesOf(labels);
    const id = this.#walk(values);
    if (id < 0) return false;
    this.#unlink(values, 0, this.#root);
    this.columns = this.columns.map((c) => c.slice(0, this.size));
    const last = this.size - 1;
    // Detach the removed series (and its handle) first, then fill its slot with the last one.
    this.#store.drop(id);
    if (last !== id) {
      for (const col of this.columns) col[id] = col[last]!;
      if (last === this.overflow) this.overflow = id;
      else this.#relink(last, id);
      this.#store.move(last, id);
      this.#store.drop(last);
    }
    for (const col of this.columns) col.length = last;
    this.size = last;
    return true;
  }

  /** Drops every series (an unlabelled metric gets its one series back on next use). */
  clear(): void {
    for (let id = this.size - 1; id >= 0; id--) this.#store.drop(id);
    this.#root = new Map();
    this.columns = this.names.map(() => []);
    this.size = 0;
    this.overflow = -1;
  }

  #compile(): (labels: Labels) => number {
    const n = this.names.length;
    const slow = (labels: Labels): number => this.#findOrCreate(this.#valuesOf(labels));
    if (n === 0) {
      return (labels) => {
        if (labels !== undefined && labels !== null) for (const _ in labels) return slow(labels);
        return this.size > 0 ? 0 : this.#create([]);
      };
    }
    const [k0, k1, k2] = this.names as [string, string, string];
    if (n === 1) {
      return (labels) => {
        const id = this.#root.get(labels[k0] as string);
        return typeof id === 'number' ? id : slow(labels);
      };
    }
    if (n === 2) {
      return (labels) => {
        const l1 = this.#root.get(labels[k0] as string);
        if (l1 !== undefined) {
          const id = (l1 as Level).get(labels[k1] as string);
          if (id !== undefined) return id as number;
        }
        return slow(labels);
      };
    }
    if (n === 3) {
      return (labels) => {
        const l1 = this.#root.get(labels[k0] as string);
        if (l1 !== undefined) {
          const l2 = (l1 as Level).get(labels[k1] as string);
          if (l2 !== undefined) {
            const id = (l2 as Level).get(labels[k2] as string);
            if (id !== undefined) return id as number;
          }
        }
        return slow(labels);
      };
    }
    const names = this.names;
    return (labels) => {
      let level: Level | number | undefined = this.#root;
      for (let j = 0; j < n && level !== undefined; j++) level = (level as Level).get(labels[names[j]!] as string);
      return typeof level === 'number' ? level : slow(labels);
    };
  }

  #valuesOf(labels: Labels): string[] {
    if (labels === null || typeof labels !== 'object') {
      throw new MetricsError('LABELS_MISMATCH', `${this.metric} expects labels {${this.names.join(', ')}}, got ${show(labels)}`);
    }
    const missing = this.names.filter((k) => labels[k] === undefined);
    const extra = Object.keys(labels).filter((k) => !this.names.includes(k));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [];
      if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
      if (extra.length > 0) parts.push(`unknown ${extra.join(', ')}`);
      throw new MetricsError(
        'LABELS_MISMATCH',
        `Labels ${show(labels)} do not match ${this.metric}{${this.names.join(', ')}}: ${parts.join('; ')}`,
      );
    }
    return this.names.map((k, j) => this.#normalize(labels[k], j));
  }

  #normalize(v: unknown, j: number): string {
    let s: string;
    if (typeof v === 'string') s = v;
    else if (typeof v === 'number' || typeof v === 'boolean') s = String(v);
    else {
      throw new MetricsError(
        'INVALID_LABEL_VALUE',
        `Label ${this.names[j]} of ${this.metric} must be a string, number or boolean, got ${show(v)}`,
      );
    }
    // Lone surrogates cannot be encoded in UTF-8; normalising them here keeps two
    // series from turning into the same bytes in the exposition.
    return s.isWellFormed() ? s : s.toWellFormed();
  }

  #walk(values: readonly string[]): number {
    let level: Level | number | undefined = this.#root;
    for (let j = 0; j < values.length && level !== undefined; j++) level = (level as Level).get(values[j]!);
    if (values.length === 0) return this.size > 0 ? 0 : -1;
    return typeof level === 'number' ? level : -1;
  }

  #findOrCreate(values: string[]): number {
    const found = this.#walk(values);
    if (found >= 0) return found;
    const regular = this.overflow >= 0 ? this.size - 1 : this.size;
    if (regular >= this.#limit) {
      this.redirected++;
      this.#onOverflow();
      if (this.overflow < 0) this.overflow = this.#append(this.names.map(() => ''));
      return this.overflow;
    }
    return this.#create(values);
  }

  #create(values: string[]): number {
    const id = this.#append(values);
    if (values.length > 0) {
      let level = this.#root;
      for (let j = 0; j < values.length - 1; j++) {
        let next = level.get(values[j]!) as Level | undefined;
        if (next === undefined) level.set(values[j]!, (next = new Map()));
        level = next;
      }
      level.set(values[values.length - 1]!, id);
    }
    return id;
  }

  #append(values: string[]): number {
    const id = this.size;
    this.#store.ensure(id);
    for (let j = 0; j < values.length; j++) this.columns[j]![id] = values[j]!;
    this.size = id + 1;
    return id;
  }

  #relink(from: number, to: number): void {
    let level = this.#root;
    const n = this.names.length;
    for (let j = 0; j < n - 1; j++) level = level.get(this.columns[j]![to]!) as Level;
    if (level.get(this.columns[n - 1]![to]!) !== from) throw new Error('series index corrupt');
    level.set(this.columns[n - 1]![to]!, to);
  }

  #unlink(values: readonly string[], j: number, level: Level): void {
    if (j === values.length - 1) {
      level.delete(values[j]!);
      return;
    }
    const next = level.get(values[j]!) as Level;
    this.#unlink(values, j + 1, next);
    if (next.size === 0) level.delete(values[j]!);
  }
}
