import type { Preview } from './preview.js';

export interface TableInfo {
  name: string;
  kind: string;
  size: number;
  /** Estimated bytes, from a sample of entries: a rough guide, not a measurement. */
  estimatedBytes: number;
  /** The module that registered it. */
  owner: string;
  description: string;
  /** Set when the table's size or entries threw while it was listed (its size then reads 0). */
  error?: { code: 'TABLE_FAILED'; message: string };
}

export interface TableQuery {
  /** 0-based page. Default: 0. */
  page?: number;
  /** Entries per page, 1 to 1000. Default: 50. */
  pageSize?: number;
  /**
   * Sort by the key, the value, or one field of object values (`value.<field>`,
   * the field 1-100 of `[A-Za-z0-9_$@:-]`); default: the table's own order.
   * One order for every type: numbers, then strings (natural: `item2` before
   * `item10`), booleans, objects and arrays (by their canonical JSON: keys
   * sorted), null; missing fields last, in either order. Ties keep the table's order.
   */
  sort?: 'key' | 'value' | `value.${string}`;
  /** Default: 'asc'. */
  order?: 'asc' | 'desc';
  /** Case-insensitive text, matched against keys and string or number values. */
  search?: string;
}

export interface TablePage {
  name: string;
  kind: string;
  /** Entries in the table. */
  size: number;
  /** Entries that match the search (the table's size without one). */
  matched: number;
  page: number;
  pageSize: number;
  /**
   * The fields shown as columns when values are objects: the union of the
   * top-level keys of the first 50 entries' values, in natural order, at most
   * 12 (names that look secret and names `sort` would refuse left out); empty
   * when values are not objects.
   */
  fields: string[];
  entries: { key: Preview; value: Preview }[];
}
