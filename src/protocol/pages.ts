import type { Preview } from './preview.js';

/** A custom page as the menu lists it. */
export interface CustomPageInfo {
  title: string;
  command: string;
  /** Served by the API, not listed in the menu. */
  apiOnly: boolean;
  /** Seconds between refreshes; 0: never. */
  refresh: number;
}

export type CustomPageShape = 'map' | 'table' | 'tables';

export type CustomPageResult =
  | { command: string; title: string; ok: true; shape: CustomPageShape; data: Preview }
  | {
      command: string;
      title: string;
      ok: false;
      error: { code: 'PAGE_FAILED' | 'PAGE_TIMEOUT' | 'PAGE_SHAPE' | 'PAGE_UNSERIALIZABLE'; message: string };
    };
