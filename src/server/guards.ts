import type { IncomingHttpHeaders } from 'node:http';
import { isIPv4 } from 'node:net';
import { REQUEST_HEADER } from '../client/index.js';
import { OptionError } from '../errors.js';
import { HttpError } from './http-error.js';

/**
 * What every answer of wobserver carries: no MIME sniffing, and a policy that
 * lets the UI load its own script, styles and connections only (no inline
 * script, nothing from elsewhere, no framing). JSON and downloads carry it too;
 * there it simply forbids everything.
 */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['x-content-type-options', 'nosniff'],
  [
    'content-security-policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  ],
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'no-referrer'],
];

/**
 * The Host allow-list against DNS rebinding: a page whose own name was rebound
 * to 127.0.0.1 reaches the port, but its requests still name the page's host.
 * Loopback names (`localhost`, `127.0.0.0/8`, `[::1]`, any port) always pass;
 * `allowedHosts` adds exact names (`observer.example.com`), names with one port
 * (`observer.example.com:8443`) and suffixes (`.example.com`: the name and its
 * subdomains). A request without Host (HTTP/1.0, never a browser) passes.
 * Returns undefined when there is nothing to check: with authentication and no
 * `allowedHosts`, the credentials are what a rebinding page lacks.
 */
export function createHostCheck(allowedHosts: readonly string[] | undefined, authConfigured: boolean): ((host: string | undefined) => boolean) | undefined {
  if (authConfigured && allowedHosts === undefined) return undefined;
  const names = new Set<string>();
  const withPort = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of allowedHosts ?? []) {
    const entry = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    const suffix = entry.startsWith('.');
    const host = suffix ? entry.slice(1) : entry;
    const name = hostName(host);
    // ".", "..", "a..b" or ":80" name nothing; a suffix has no port.
    if (name === undefined || !labelled(name) || (suffix && name !== host)) {
      throw new OptionError(`allowedHosts: ${JSON.stringify(raw)} is not a host name, host:port or .suffix (no scheme, no path)`);
    }
    if (suffix) suffixes.push(entry);
    else if (name === entry) names.add(entry);
    else withPort.add(entry);
  }
  // The same Host comes again and again (one browser, one name): remembered, it costs one comparison.
  let lastOk: string | undefined;
  return (host) => {
    if (host === undefined || host === lastOk) return true;
    const lower = host.toLowerCase();
    const name = hostName(lower);
    if (name === undefined) return false;
    const ok = isLoopbackName(name) || names.has(name) || withPort.has(lower) || suffixes.some((s) => name.endsWith(s) || name === s.slice(1));
    if (ok) lastOk = host;
    return ok;
  };
}

/** The name part of a Host value (lowercase input), brackets kept for IPv6; undefined when it is malformed. */
/** A name made of labels (an IPv6 literal in brackets counts as one): not empty, not only dots, no empty label inside. */
function labelled(name: string): boolean {
  if (name.startsWith('[')) return name.length > 2;
  const labels = (name.endsWith('.') ? name.slice(0, -1) : name).split('.');
  return labels.every((l) => /[a-z0-9]/.test(l));
}

function hostName(host: string): string | undefined {
  let name: string;
  let rest: string;
  if (host.charCodeAt(0) === 91 /* [ */) {
    const end = host.indexOf(']');
    if (end < 0) return undefined;
    name = host.slice(0, end + 1);
    rest = host.slice(end + 1);
  } else {
    const colon = host.indexOf(':');
    name = colon < 0 ? host : host.slice(0, colon);
    rest = colon < 0 ? '' : host.slice(colon);
  }
  if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
  if (name === '' || !/^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)$/.test(name)) return undefined;
  return name;
}

function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name === '[::1]') return true;
  return name.startsWith('127.') && isIPv4(name);
}

export function hostNotAllowed(host: string | undefined): HttpError {
  return new HttpError(403, 'HOST_NOT_ALLOWED', `Host ${JSON.stringify(host ?? '')} is not allowed: use a loopback address or add the name to allowedHosts`);
}

/** Whether `origin` (`scheme://host[:port]`) names the host the request was sent to (or the one a proxy forwarded). */
export function originMatchesHost(origin: string, headers: IncomingHttpHeaders): boolean {
  const sep = origin.indexOf('://');
  if (sep < 0) return false;
  const originHost = origin.slice(sep + 3);
  if (originHost.includes('/')) return false;
  const host = headers.host;
  if (typeof host === 'string' && equalsIgnoreCase(originHost, host)) return true;
  const forwarded = headers['x-forwarded-host'];
  if (typeof forwarded !== 'string') return false;
  const comma = forwarded.indexOf(',');
  return equalsIgnoreCase(originHost, (comma < 0 ? forwarded : forwarded.slice(0, comma)).trim());
}

function equalsIgnoreCase(a: string, b: string): boolean {
  return a.length === b.length && (a === b || a.toLowerCase() === b.toLowerCase());
}

/**
 * Cross-site request forgery: a state-changing request (any method but GET and
 * HEAD) must come from a page of this origin — its `Origin`, or when a browser
 * sent none its `Sec-Fetch-Site: same-origin` — and carry `X-Wobserver-Request`,
 * a header no form can send and no other origin can add without a CORS
 * preflight, which wobserver never grants. A request with neither Origin nor
 * Sec-Fetch-Site is not from a browser of this decade; the header is still asked.
 * The caller exempts what is not ambient: a bearer token, a node's signature.
 */
export function checkSameOrigin(method: string, headers: IncomingHttpHeaders): void {
  if (method === 'GET' || method === 'HEAD') return;
  const origin = headers.origin;
  if (origin !== undefined) {
    if (!originMatchesHost(origin, headers)) throw crossSite(`Origin ${JSON.stringify(origin)} is not this server's`);
  } else {
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') throw crossSite(`Sec-Fetch-Site is ${JSON.stringify(site)}`);
  }
  const marker = headers[REQUEST_HEADER];
  if (typeof marker !== 'string' || marker === '') throw crossSite(`the request carries no ${REQUEST_HEADER} header`);
}

/** A request whose credential is a bearer token: no browser sends one by itself, so it cannot be forged cross-site. */
export function hasBearer(headers: IncomingHttpHeaders): boolean {
  const a = headers.authorization;
  return typeof a === 'string' && a.length > 7 && a.slice(0, 7).toLowerCase() === 'bearer ';
}

function crossSite(why: string): HttpError {
  return new HttpError(403, 'CROSS_SITE', `Refused a state-changing request that may come from another site: ${why}`);
}
