import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { HttpError, sendJson } from './http-error.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'wobserver_session';

export interface SignInOptions {
  /** How long a session lasts after sign-in, in ms. */
  ttlMs: number;
  /** Sessions kept at once; past it the oldest is signed out. */
  maxSessions: number;
  /** The cookie's path: the prefix (or `/`). */
  path: string;
  /** Believe `X-Forwarded-Proto: https` (a TLS proxy in front) for the cookie's `Secure`. */
  trustProxy: boolean;
}

interface Entry {
  expiresAt: number;
  readonly ends: Set<() => void>;
}

/**
 * Browser sessions: the UI's sign-in view trades the token (or any credential
 * the auth hook accepts) once for a random session id in an `HttpOnly;
 * SameSite=Strict` cookie (`Secure` behind https). Sessions live in memory, by
 * the SHA-256 of their id, expire after `ttlMs`, and end on sign-out; whatever
 * a session opened (a WebSocket, an event stream) closes with it.
 */
export class Sessions {
  readonly #o: SignInOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #sweep: NodeJS.Timeout;

  constructor(o: SignInOptions) {
    this.#o = o;
    this.#sweep = setInterval(() => this.#expire(Date.now()), Math.min(60_000, o.ttlMs));
    this.#sweep.unref();
  }

  /** The key of the live session the request's cookie names, if any. */
  key(req: IncomingMessage): string | undefined {
    // Two servers on one host share cookies (ports do not separate them): any of the values may be ours.
    for (const id of cookieValues(req.headers.cookie, SESSION_COOKIE)) {
      if (id.length !== 43) continue;
      const key = digest(id);
      const entry = this.#entries.get(key);
      if (entry === undefined) continue;
      if (entry.expiresAt > Date.now()) return key;
      this.#end(key, entry);
    }
    return undefined;
  }

  /** Calls `onEnd` when the session ends (sign-out, expiry, shutdown); returns the function that stops watching. */
  watch(key: string | undefined, onEnd: () => void): () => void {
    const entry = key === undefined ? undefined : this.#entries.get(key);
    if (entry === undefined) return () => undefined;
    entry.ends.add(onEnd);
    return () => entry.ends.delete(onEnd);
  }

  /** `GET` the state, `POST` signs in (the request carries the credential), `DELETE` signs out. */
  async route(req: IncomingMessage, res: ServerResponse, o: { auth: boolean; signedIn: () => Promise<boolean>; credentials: () => Promise<boolean> }): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'GET' || method === 'HEAD') {
      const key = this.key(req);
      sendJson(res, 200, { auth: o.auth, signedIn: await o.signedIn(), session: key !== undefined, ...(key !== undefined ? { expiresAt: this.#entries.get(key)!.expiresAt } : {}) });
      return;
    }
    if (method === 'POST') {
      if (!o.auth) throw new HttpError(409, 'NO_AUTH', 'Authentication is not configured: there is nothing to sign in to');
      if (req.headers.authorization === undefined || !(await o.credentials())) {
        // No WWW-Authenticate challenge: a browser would answer a wrong token in the sign-in view with its own basic-auth dialog.
        sendJson(res, 401, { error: { code: 'UNAUTHORIZED', message: 'Sign in with the token: Authorization: Bearer <token>' } });
        return;
      }
      const id = randomBytes(32).toString('base64url');
      const expiresAt = Date.now() + this.#o.ttlMs;
      this.#expire(Date.now());
      // Full: the oldest session goes (Maps keep insertion order), not the new sign-in.
      while (this.#entries.size >= this.#o.maxSessions) {
        const [oldest, entry] = this.#entries.entries().next().value as [string, Entry];
        this.#end(oldest, entry);
      }
      this.#entries.set(digest(id), { expiresAt, ends: new Set() });
      sendJson(res, 200, { signedIn: true, expiresAt }, { 'set-cookie': this.#cookie(req, id, Math.floor(this.#o.ttlMs / 1000)) });
      return;
    }
    if (method === 'DELETE') {
      const key = this.key(req);
      if (key !== undefined) this.#end(key, this.#entries.get(key)!);
      sendJson(res, 200, { signedIn: false }, { 'set-cookie': this.#cookie(req, '', 0) });
      return;
    }
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on session; use GET, POST (sign in) or DELETE (sign out)`);
  }

  /** Ends every session (shutdown). */
  close(): void {
    clearInterval(this.#sweep);
    for (const [key, entry] of this.#entries) this.#end(key, entry);
  }

  get size(): number {
    return this.#entries.size;
  }

  #cookie(req: IncomingMessage, value: string, maxAge: number): string {
    return `${SESSION_COOKIE}=${value}; Path=${this.#o.path}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${this.#secure(req) ? '; Secure' : ''}`;
  }

  /** https: the socket is TLS, or (with trustProxy) the proxy in front says so. */
  #secure(req: IncomingMessage): boolean {
    if ((req.socket as TLSSocket).encrypted === true) return true;
    if (!this.#o.trustProxy) return false;
    const proto = req.headers['x-forwarded-proto'];
    return typeof proto === 'string' && proto.split(',')[0]!.trim().toLowerCase() === 'https';
  }

  #expire(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#end(key, entry);
  }

  #end(key: string, entry: Entry): void {
    this.#entries.delete(key);
    for (const end of entry.ends) {
      try {
        end();
      } catch {
        // Closing one socket must not keep the others open.
      }
    }
    entry.ends.clear();
  }
}

function digest(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

/** The values of one cookie in a Cookie header, without parsing the others. */
export function cookieValues(header: string | undefined, name: string): string[] {
  const out: string[] = [];
  if (header === undefined) return out;
  let from = 0;
  for (;;) {
    const i = header.indexOf(`${name}=`, from);
    if (i < 0) return out;
    from = i + 1;
    // Only at the start of a pair: "x_wobserver_session=" is another cookie.
    if (i !== 0 && header[i - 1] !== ' ' && header[i - 1] !== ';') continue;
    const end = header.indexOf(';', i);
    out.push(header.slice(i + name.length + 1, end < 0 ? undefined : end).trim());
  }
}
