/** What a segment that looks like an identifier becomes. */
export const ID_SEGMENT = ':id';

/** Longest route kept, in characters; a longer one is cut there (a route is a label value). */
export const MAX_ROUTE_LENGTH = 200;

const DIGITS = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Hex of 8 characters or more with at least one digit: hashes, ObjectIds, short commit ids ("cafebabe" alone stays a word). */
const HEX = /^(?=[a-f]*\d)[0-9a-f]{8,}$/i;

/** Whether one path segment is an identifier: digits, a UUID, or long hex. */
export function isIdSegment(segment: string): boolean {
  return DIGITS.test(segment) || UUID.test(segment) || HEX.test(segment);
}

/**
 * The route of a request target without a framework's template: the path
 * without query or fragment (and without scheme and host, for an absolute
 * target), each identifier segment (digits, UUID, long hex) as `:id`, cut at
 * {@link MAX_ROUTE_LENGTH}. Pure.
 *
 * ```ts
 * normalizePath('/users/42/orders/0f8fad5b-d9cb-469f-a165-70867728950e?x=1'); // '/users/:id/orders/:id'
 * ```
 */
export function normalizePath(url: string | undefined): string {
  if (url === undefined || url === '') return '/';
  let path = url;
  const q = path.search(/[?#]/);
  if (q >= 0) path = path.slice(0, q);
  if (!path.startsWith('/')) {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
    if (scheme !== null) path = path.slice(scheme[0].length) || '/';
  }
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) if (isIdSegment(segments[i]!)) segments[i] = ID_SEGMENT;
  const route = segments.join('/');
  return route.length > MAX_ROUTE_LENGTH ? route.slice(0, MAX_ROUTE_LENGTH) : route;
}

/** Paths remembered by a {@link PathNormalizer} before it starts afresh. */
const CACHE_SIZE = 1024;

/**
 * {@link normalizePath} with a bounded memory of the paths it saw: the same
 * path again costs one `Map` lookup instead of the regular expressions. At
 * {@link CACHE_SIZE} paths the memory is dropped and filled again, so a scan
 * of distinct URLs costs the expressions but never memory.
 */
export class PathNormalizer {
  #cache = new Map<string, string>();

  normalize(url: string | undefined): string {
    if (url === undefined) return '/';
    // Keyed without the query, so that `?page=2`, `?page=3`, … share one entry.
    const q = url.indexOf('?');
    const key = q < 0 ? url : url.slice(0, q);
    const hit = this.#cache.get(key);
    if (hit !== undefined) return hit;
    const route = normalizePath(key);
    if (this.#cache.size >= CACHE_SIZE) this.#cache = new Map();
    this.#cache.set(key, route);
    return route;
  }
}
