import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Sessions } from './sign-in.js';

/**
 * One authentication hook for every route: page, API, WebSocket, fallback and
 * metrics. Built in: a bearer token, HTTP basic, or your own `authorize(req)`.
 */
export interface AuthOptions {
  /** `Authorization: Bearer <token>`. */
  token?: string;
  /** `Authorization: Basic ...`. */
  basic?: { username: string; password: string };
  /** Your own check; may be async. Runs when no built-in credential matched. */
  authorize?: (req: IncomingMessage) => boolean | Promise<boolean>;
  /** `/metrics`: `'protected'` (the same credentials, default), `'open'` (for a scraper), or its own bearer token. */
  metrics?: 'protected' | 'open' | { token: string };
  /** How long a browser session lasts after the sign-in view took the token, in ms. Default: 28800000 (8 h). */
  sessionMs?: number;
  /** Browser sessions kept at once; past it the oldest is signed out. Default: 1000. */
  maxSessions?: number;
}

/**
 * `shell` is the UI's page and assets: static files of the package, no data.
 * With a token configured they load without credentials, so that the sign-in
 * view can ask for it; with basic only they stay protected (the browser asks).
 */
export type Route = 'metrics' | 'shell' | 'other';
export type Authenticate = (req: IncomingMessage, route: Route) => Promise<boolean>;

/** Whether any authentication is configured. */
export function hasAuth(o: AuthOptions | undefined): boolean {
  return o !== undefined && (o.token !== undefined || o.basic !== undefined || o.authorize !== undefined);
}

/** The credentials a request carries itself (token, basic, the authorize hook), not a session: what signing in checks. */
export function createCredentialCheck(o: AuthOptions | undefined): (req: IncomingMessage) => Promise<boolean> {
  if (!hasAuth(o)) return async () => true;
  const opts = o!;
  return async (req) => {
    const header = req.headers.authorization ?? '';
    if (opts.token !== undefined && header.startsWith('Bearer ') && same(header.slice(7).trim(), opts.token)) return true;
    if (opts.basic !== undefined && header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      // Both halves are compared, always, so the time does not tell which one was wrong.
      const userOk = same(i < 0 ? decoded : decoded.slice(0, i), opts.basic.username);
      const passOk = same(i < 0 ? '' : decoded.slice(i + 1), opts.basic.password);
      if (userOk && passOk) return true;
    }
    if (opts.authorize !== undefined) {
      try {
        return (await opts.authorize(req)) === true;
      } catch {
        return false;
      }
    }
    return false;
  };
}

/** Every route's check: a browser session (when `sessions` is given), else the request's own credentials. */
export function createAuthenticate(o: AuthOptions | undefined, sessions?: Sessions): Authenticate {
  if (!hasAuth(o)) return async () => true;
  const opts = o!;
  const credentials = createCredentialCheck(o);
  const check = (req: IncomingMessage): Promise<boolean> | boolean => (sessions !== undefined && sessions.key(req) !== undefined) || credentials(req);
  return async (req, route) => {
    if (route === 'shell' && opts.token !== undefined) return true;
    if (route === 'metrics') {
      const m = opts.metrics ?? 'protected';
      if (m === 'open') return true;
      if (typeof m === 'object') {
        const header = req.headers.authorization ?? '';
        return header.startsWith('Bearer ') && same(header.slice(7).trim(), m.token);
      }
    }
    return check(req);
  };
}

/** Constant-time equality of two strings (of any lengths: their digests are compared). */
export function same(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}
