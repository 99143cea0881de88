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
  /** Sort by key or value; default: the table's own order. */
  sort?: 'key' | 'value';
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
  entries: { key: Preview; value: Preview }[];
}
