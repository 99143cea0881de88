import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const SIGNATURE_HEADERS = {
  time: 'x-wobserver-time',
  nonce: 'x-wobserver-nonce',
  from: 'x-wobserver-from',
  signature: 'x-wobserver-signature',
} as const;

function mac(secret: string, method: string, path: string, time: string, nonce: string, from: string): Buffer {
  return createHmac('sha256', secret).update(`${method.toUpperCase()}\n${path}\n${time}\n${nonce}\n${from}`).digest();
}

/** The headers that sign one request from node `from`: an HMAC over method, path (with query), time and a nonce. */
export function sign(secret: string, method: string, path: string, from: string, now = Date.now()): Record<string, string> {
  const time = String(now);
  const nonce = randomBytes(16).toString('base64url');
  return {
    [SIGNATURE_HEADERS.time]: time,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.from]: from,
    [SIGNATURE_HEADERS.signature]: mac(secret, method, path, time, nonce, from).toString('base64url'),
  };
}

export type Verdict = { ok: true; from: string } | { ok: false; code: 'NODE_UNSIGNED' | 'NODE_SIGNATURE_INVALID' | 'NODE_CLOCK_SKEW' | 'NODE_REPLAY'; message: string };

/**
 * Checks signed requests: the signature over method, path, time and nonce,
 * the time within `windowMs` of ours, and each nonce used once (remembered for
 * the window, bounded).
 */
export class Verifier {
  readonly #secret: string;
  readonly #windowMs: number;
  readonly #seen = new Map<string, number>();
  readonly #maxNonces: number;

  constructor(secret: string, windowMs = 30_000, maxNonces = 100_000) {
    this.#secret = secret;
    this.#windowMs = windowMs;
    this.#maxNonces = maxNonces;
  }

  /** Whether the request carries a node signature at all. */
  static signed(headers: IncomingHttpHeaders): boolean {
    return headers[SIGNATURE_HEADERS.signature] !== undefined || headers[SIGNATURE_HEADERS.from] !== undefined;
  }

  verify(method: string, path: string, headers: IncomingHttpHeaders, now = Date.now()): Verdict {
    const get = (h: string): string | undefined => {
      const v = headers[h];
      return typeof v === 'string' ? v : undefined;
    };
    const time = get(SIGNATURE_HEADERS.time);
    const nonce = get(SIGNATURE_HEADERS.nonce);
    const from = get(SIGNATURE_HEADERS.from);
    const signature = get(SIGNATURE_HEADERS.signature);
    if (time === undefined || nonce === undefined || from === undefined || signature === undefined) {
      return { ok: false, code: 'NODE_UNSIGNED', message: 'A request between nodes must be signed with the shared secret' };
    }
    const expected = mac(this.#secret, method, path, time, nonce, from);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, code: 'NODE_SIGNATURE_INVALID', message: 'The node signature does not match (another secret?)' };
    }
    const t = Number(time);
    if (!Number.isFinite(t) || Math.abs(now - t) > this.#windowMs) {
      return { ok: false, code: 'NODE_CLOCK_SKEW', message: `The signed time is more than ${this.#windowMs / 1000} s from this node's clock` };
    }
    this.#forget(now);
    if (this.#seen.has(nonce)) return { ok: false, code: 'NODE_REPLAY', message: 'This signed request was already used' };
    this.#seen.set(nonce, t);
    return { ok: true, from };
  }

  #forget(now: number): void {
    if (this.#seen.size < this.#maxNonces && this.#seen.size % 1024 !== 0) return;
    for (const [n, t] of this.#seen) if (Math.abs(now - t) > this.#windowMs) this.#seen.delete(n);
    // Still full: the oldest go; a replay of those is refused by the time window anyway once they are old.
    while (this.#seen.size >= this.#maxNonces) this.#seen.delete(this.#seen.keys().next().value!);
  }
}
