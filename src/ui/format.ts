const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${n < 0 ? '-' : ''}${v >= 100 || u === 0 ? v.toFixed(0) : v.toFixed(1)} ${UNITS[u]}`;
}

export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  if (n < 1) return `${n.toFixed(2)} ms`;
  if (n < 1000) return `${n.toFixed(n < 10 ? 1 : 0)} ms`;
  return seconds(n / 1000);
}

export function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.floor(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function percent(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return `${(x * 100).toFixed(digits)} %`;
}

export function num(n: unknown): string {
  if (typeof n !== 'number') return n === null || n === undefined ? '–' : String(n);
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

/** Any JSON value as one line of text, for table cells. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return JSON.stringify(v);
}

/** A whole number as it is written for an identifier (a pid, a port, a thread id): no thousands separator. */
export function plain(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : String(n);
}

/** A time (ms since the epoch) as a local date and time, e.g. `2026-12-02 14:03:07`. */
export function date(msSinceEpoch: number | null | undefined): string {
  if (msSinceEpoch === null || msSinceEpoch === undefined || !Number.isFinite(msSinceEpoch)) return '–';
  const d = new Date(msSinceEpoch);
  const p = (x: number): string => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const WORDS: Record<string, string> = { ms: 'ms', id: 'id', pid: 'PID', ppid: 'parent PID', fd: 'fd', cpu: 'CPU', rss: 'RSS', url: 'URL', ip: 'IP', tcp: 'TCP', udp: 'UDP', tty: 'TTY', gc: 'GC', io: 'I/O', uv: 'libuv', http: 'HTTP' };

/** A field's name as a heading in words: `bytesRead` → `Bytes read`, `recvBufferSize` → `Recv buffer size`, `firesInMs` → `Fires in (ms)`. */
export function words(key: string): string {
  const parts = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase());
  if (parts.length > 1 && parts[parts.length - 1] === 'ms') parts.splice(parts.length - 1, 1, '(ms)');
  const text = parts.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
