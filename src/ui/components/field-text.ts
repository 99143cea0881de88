import { bytes, cell, ms, num, percent, plain, seconds, words } from '../format.js';

/**
 * One field's value as text, chosen by the field's name: `…Ms` as a duration,
 * `…Seconds` as seconds, `…Utilization` as a percentage, `…Mb` in MiB, bytes,
 * sizes and memory (`rss`, `heap…`) in bytes, identifiers (`pid`, `fd`,
 * `port`, `…Id`, `…Code`) without a thousands separator, an `{ address, port }`
 * as `host:port`, a list of strings (an argv) joined by spaces.
 *
 * @example fieldText('ageMs', 134053) // '2 min 14 s'
 */
export function fieldText(key: string, v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') {
    if (/Ms$|^ms$/.test(key)) return ms(v);
    if (/Seconds$|^seconds$/i.test(key)) return seconds(v);
    if (/utilization$/i.test(key)) return percent(v);
    if (/Mb$/.test(key)) return `${num(v)} MiB`;
    if (/bytes|size|rss|heap|memory/i.test(key)) return bytes(v);
    if (/^(pid|ppid|fd|port)$|Id$|Code$/i.test(key)) return plain(v);
    return num(v);
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.length === 0 ? '–' : v.join(' ');
  if (typeof v === 'object' && 'address' in v && 'port' in v) return address(v as { address: string; port: number });
  return cell(v);
}

/** An endpoint as `host:port`, an IPv6 host in brackets. */
export function address(a: { address: string; port: number } | null | undefined): string {
  if (a === null || a === undefined) return '–';
  return `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`;
}

/** A heading for a key: camelCase names in words, others (headers, /proc fields, package names) as they are. */
export function heading(key: string): string {
  // The unit is in the value (`2 min 14 s`), not in the heading.
  return /^[a-z]+(?:[A-Z][a-z0-9]*)+$/.test(key) ? words(key.replace(/(.)(?:Ms|Seconds)$/, '$1')) : /^[a-z]+$/.test(key) ? words(key) : key;
}
