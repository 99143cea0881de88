/** The two exposition formats. */
export type ExpositionFormat = 'text' | 'openmetrics';

interface MediaRange {
  type: string;
  version: string | undefined;
  q: number;
}

/**
 * Picks the format a scrape asked for in its `Accept` header: OpenMetrics
 * 1.0.0 when `application/openmetrics-text` (version 1.0.0 or none) is
 * preferred over the text format by its q-value, else the text format 0.0.4,
 * which is also the answer to no header, `*\/*` and anything unreadable.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined || accept === '') return 'text';
  let om = -1;
  let text = -1;
  for (const range of parse(accept)) {
    if (range.type === 'application/openmetrics-text' && (range.version === undefined || range.version === '1.0.0')) {
      om = Math.max(om, range.q);
    } else if (range.type === 'text/plain' && (range.version === undefined || range.version === '0.0.4')) {
      text = Math.max(text, range.q);
    }
  }
  return om > 0 && om > text ? 'openmetrics' : 'text';
}

function parse(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of accept.slice(0, 4096).split(',')) {
    const [type, ...params] = part.split(';');
    let q = 1;
    let version: string | undefined;
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
      if (key === 'q') {
        const n = Number(value);
        q = Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0;
      } else if (key === 'version') {
        version = value;
      }
    }
    out.push({ type: (type ?? '').trim().toLowerCase(), version, q });
  }
  return out;
}
