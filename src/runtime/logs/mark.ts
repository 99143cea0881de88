import type { IncomingMessage } from 'node:http';
import { REDACTED } from '../redact.js';
import type { ResolvedMark } from './options.js';

/**
 * The request logger's token a request carries, by the mark's query
 * parameter, header or cookie (in that order); undefined for an unmarked
 * request. The cheap signs are looked for first: a `name=` after the `?`
 * and one pass over the raw headers comparing lengths before names, so that
 * an unmarked request costs a few comparisons.
 *
 * @example
 * readMark(req, { param: 'wobserver_logger', header: 'x-wobserver-logger', cookie: null }) // 'k3y' for GET /a?wobserver_logger=k3y
 */
export function readMark(req: IncomingMessage, mark: ResolvedMark): string | undefined {
  const url = req.url ?? '';
  if (mark.param !== null) {
    const q = url.indexOf('?');
    if (q >= 0 && url.includes(`${mark.param}=`, q)) {
      const v = new URLSearchParams(url.slice(q + 1)).get(mark.param);
      if (v !== null && v !== '') return v;
    }
  }
  const { header, cookie } = mark;
  if (header === null && cookie === null) return undefined;
  const raw = req.rawHeaders;
  let cookies: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (header !== null && name.length === header.length && name.toLowerCase() === header) {
      const v = raw[i + 1]!.trim();
      if (v !== '') return v;
    } else if (cookie !== null && name.length === 6 && name.toLowerCase() === 'cookie') cookies = cookies === undefined ? raw[i + 1] : `${cookies}; ${raw[i + 1]}`;
  }
  return cookies === undefined || cookie === null ? undefined : cookieValue(cookies, cookie);
}

/** A cookie's value in a `Cookie` header (`a=1; name=v`), URL-decoded; undefined when absent or empty. */
export function cookieValue(header: string, name: string): string | undefined {
  if (!header.includes(name)) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let v = part.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
    try {
      v = decodeURIComponent(v);
    } catch {
      // Kept as sent.
    }
    return v === '' ? undefined : v;
  }
  return undefined;
}

/** A request URL with the mark's parameter value replaced by `[redacted]`: the token is the watcher's, not for every viewer. */
export function hideMark(url: string, mark: ResolvedMark): string {
  if (mark.param === null) return url;
  const q = url.indexOf('?');
  if (q < 0) return url;
  const param = mark.param;
  return url.slice(0, q) + url.slice(q).replace(/([?&])([^=&#]*)=([^&#]*)/g, (m: string, sep: string, name: string) => (safeDecode(name) === param ? `${sep}${name}=${REDACTED}` : m));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
