import { RuntimeError } from './errors.js';
import { preview } from './preview.js';
import type { CustomPageShape, CustomPageResult } from '../protocol/index.js';
export type { CustomPageShape, CustomPageResult } from '../protocol/index.js';

/**
 * A custom page, the Elixir wobserver's extension point. The callback returns (or
 * resolves to) a map (shown as a key-value table), a list of maps (a table),
 * or a map of those (several tables).
 */
export interface CustomPage {
  title: string;
  /** Its name in URLs and messages: [A-Za-z0-9_-]+, unique. */
  command: string;
  callback: () => unknown;
  /** Served by the API but not listed in the UI's menu. Default: false. */
  apiOnly?: boolean;
  /** How often the UI refreshes it, in seconds; 0: never. Default: 0. */
  refresh?: number;
}

export class CustomPageError extends RuntimeError<'PAGE_INVALID' | 'PAGE_EXISTS' | 'PAGE_NOT_FOUND'> {}

/** The registered custom pages; running one is isolated: a throw, a hang or a bad shape is an error entry. */
export class CustomPages {
  #pages = new Map<string, CustomPage>();
  #inflight = new Map<string, Promise<unknown>>();

  register(page: CustomPage): () => void {
    if (page === null || typeof page !== 'object') throw new CustomPageError('PAGE_INVALID', 'A custom page must be an object');
    if (typeof page.command !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(page.command)) {
      throw new CustomPageError('PAGE_INVALID', `command must be 1-64 of [A-Za-z0-9_-], got ${JSON.stringify(page.command)}`);
    }
    if (typeof page.title !== 'string' || page.title === '') throw new CustomPageError('PAGE_INVALID', `title of page "${page.command}" must be a non-empty string`);
    if (typeof page.callback !== 'function') throw new CustomPageError('PAGE_INVALID', `callback of page "${page.command}" must be a function`);
    if (page.refresh !== undefined && !(Number.isFinite(page.refresh) && page.refresh >= 0)) {
      throw new CustomPageError('PAGE_INVALID', `refresh of page "${page.command}" must be a number of seconds >= 0`);
    }
    if (this.#pages.has(page.command)) throw new CustomPageError('PAGE_EXISTS', `A page with command "${page.command}" is already registered`);
    this.#pages.set(page.command, { ...page });
    return () => this.#pages.delete(page.command);
  }

  /** Every page (what a menu needs), `apiOnly` ones included and marked. */
  list(): { title: string; command: string; apiOnly: boolean; refresh: number }[] {
    return [...this.#pages.values()].map((p) => ({ title: p.title, command: p.command, apiOnly: p.apiOnly === true, refresh: p.refresh ?? 0 }));
  }

  /** Runs a page's callback (one run at a time per page, shared by concurrent callers) within `timeout` ms. */
  async run(command: string, timeout = 2000): Promise<CustomPageResult> {
    const page = this.#pages.get(command);
    if (page === undefined) throw new CustomPageError('PAGE_NOT_FOUND', `No custom page "${command}"`);
    const base = { command, title: page.title };
    let run = this.#inflight.get(command);
    if (run === undefined) {
      run = (async () => page.callback())();
      this.#inflight.set(command, run);
      const done = (): void => void this.#inflight.delete(command);
      run.then(done, done);
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const expired = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(resolve, timeout, TIMEOUT)));
      const value = await Promise.race([run, expired]);
      if (value === TIMEOUT) return { ...base, ok: false, error: { code: 'PAGE_TIMEOUT', message: `page "${command}" did not answer within ${timeout} ms` } };
      const plain = value instanceof Map ? Object.fromEntries(value) : value;
      try {
        JSON.stringify(plain);
      } catch (err) {
        return { ...base, ok: false, error: { code: 'PAGE_UNSERIALIZABLE', message: `page "${command}" returned data that cannot be sent: ${(err as Error).message}` } };
      }
      const shape = shapeOf(plain);
      if (shape === undefined) {
        return { ...base, ok: false, error: { code: 'PAGE_SHAPE', message: `page "${command}" must return a map, a list of maps or a map of those` } };
      }
      // Previewed all the same: functions, long strings and deep nesting are cut to size.
      return { ...base, ok: true, shape, data: preview(plain, { maxDepth: 4, maxItems: 1000 }) };
    } catch (err) {
      return { ...base, ok: false, error: { code: 'PAGE_FAILED', message: err instanceof Error ? err.message : String(err) } };
    } finally {
      clearTimeout(timer);
    }
  }
}

const TIMEOUT = Symbol('timeout');

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && !ArrayBuffer.isView(v);
}

function shapeOf(v: unknown): CustomPageShape | undefined {
  if (v instanceof Map) return shapeOf(Object.fromEntries(v));
  if (Array.isArray(v)) return v.every(isMap) ? 'table' : undefined;
  if (!isMap(v)) return undefined;
  const values = Object.values(v);
  const table = (x: unknown): boolean => Array.isArray(x) && x.every(isMap);
  if (values.length > 0 && values.every((x) => table(x) || isMap(x)) && values.some(table)) return 'tables';
  return 'map';
}
