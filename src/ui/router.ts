import { useEffect, useState } from 'preact/hooks';

/** A route from the URL's hash: `#/tables/users?search=x` → page `tables`, arg `users`, query. Works under any prefix, survives a reload. */
export interface Route {
  page: string;
  arg: string | undefined;
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = h.split('?');
  const [page = '', ...rest] = path.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  return { page: page || 'system', arg: rest.length > 0 ? rest.join('/') : undefined, query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** The link to a page, keeping the node being looked at. */
export function href(page: string, arg?: string, query: Record<string, string | undefined> = {}): string {
  const node = parseRoute(location.hash).query.get('node') ?? undefined;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ node, ...query })) if (v !== undefined && v !== '') q.set(k, v);
  const qs = q.toString();
  return `#/${page}${arg === undefined ? '' : `/${encodeURIComponent(arg)}`}${qs ? `?${qs}` : ''}`;
}

/** Changes one query parameter of the current route without adding a history entry. */
export function setQuery(key: string, value: string | undefined): void {
  setQueries({ [key]: value });
}

/** Changes several query parameters at once (one route change, not one per parameter); undefined or '' removes one. */
export function setQueries(changes: Record<string, string | undefined>): void {
  const r = parseRoute(location.hash);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '') r.query.delete(key);
    else r.query.set(key, value);
  }
  const qs = r.query.toString();
  history.replaceState(null, '', `#/${r.page}${r.arg === undefined ? '' : `/${encodeURIComponent(r.arg)}`}${qs ? `?${qs}` : ''}`);
  dispatchEvent(new HashChangeEvent('hashchange'));
}
