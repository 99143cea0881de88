import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

export const SIGNATURE_HEADERS = {
  time: 'x-wobserver-time',
  nonce: 'x-wobserver-nonce',
  from: 'x-wobserver-from',
  /** The node the request is for: a request signed for X is refused by Y. */
  to: 'x-wobserver-to',
  signature: 'x-wobserver-signature',
  /** The trailer that signs an answer: over the request's nonce, the status, the content type and the body's SHA-256. */
  answer: 'x-wobserver-answer-signature',
} as const;

function mac(secret: string, method: string, path: string, time: string, nonce: string, from: string, to: string): Buffer {
  return createHmac('sha256', secret).update(`${method.toUpperCase()}\n${path}\n${time}\n${nonce}\n${from}\n${to}`).digest();
}

/**
 * The headers that sign one request from node `from` to node `to`: an HMAC
 * over method, path (with query), time, a nonce, sender and destination.
 * `to` is `''` only for the discovery probe of `/api/about`, which asks an
 * address whose name is not known yet.
 */
export function sign(secret: string, method: string, path: string, from: string, to: string, now = Date.now()): Record<string, string> {
  const time = String(now);
  const nonce = randomBytes(16).toString('base64url');
  return {
    [SIGNATURE_HEADERS.time]: time,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.from]: from,
    [SIGNATURE_HEADERS.to]: to,
    [SIGNATURE_HEADERS.signature]: mac(secret, method, path, time, nonce, from, to).toString('base64url'),
  };
}

/** The headers of an answer its signature covers besides the status: the content type, and what makes it a download or compressed. */
export const SIGNED_ANSWER_HEADERS = ['content-type', 'content-disposition', 'content-encoding'] as const;

/** The signed headers' values, one a line (`''` for one that is absent). */
export function answerHead(get: (name: string) => unknown): string {
  return SIGNED_ANSWER_HEADERS.map((h) => {
    const v = get(h);
    return typeof v === 'string' ? v : v === undefined ? '' : String(v);
  }).join('\n');
}

/** The signature of one answer: HMAC over the request's nonce, the status, the signed headers (answerHead) and the body's SHA-256 (hex). */
export function answerSignature(secret: string, nonce: string, status: number, head: string, bodySha256: string): string {
  return createHmac('sha256', secret).update(`answer\n${nonce}\n${status}\n${head}\n${bodySha256}`).digest('base64url');
}

/** Whether `given` is the signature of that answer (constant time). */
export function verifyAnswer(secret: string, given: string | undefined, nonce: string, status: number, head: string, bodySha256: string): boolean {
  if (given === undefined) return false;
  const expected = Buffer.from(answerSignature(secret, nonce, status, head, bodySha256));
  const g = Buffer.from(given);
  return g.length === expected.length && timingSafeEqual(g, expected);
}

/**
 * Makes `res` sign what it answers to a signed request (status, the
 * SIGNED_ANSWER_HEADERS, the body): the body streams as
 * it is written (chunked, no content-length), hashed on the way, and the
 * signature goes in a trailer declared by a `Trailer` header. Every answer —
 * JSON, errors, downloads, another node's relayed answer — passes here.
 */
export function signAnswers(res: ServerResponse, secret: string, nonce: string): void {
  const hash = createHash('sha256');
  let trailing = false;
  const writeHead = res.writeHead.bind(res) as (status: number, message?: string) => ServerResponse;
  const write = res.write.bind(res) as (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown, encoding?: unknown, cb?: unknown) => ServerResponse;
  const bytes = (chunk: unknown, encoding: unknown): Buffer | undefined =>
    typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk instanceof Uint8Array ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : undefined;
  res.writeHead = ((status: number, a?: unknown, b?: unknown) => {
    const headers = typeof a === 'string' ? b : a;
    if (headers !== undefined && headers !== null && !Array.isArray(headers)) {
      for (const [k, v] of Object.entries(headers as Record<string, string | number | string[]>)) if (v !== undefined) res.setHeader(k, v);
    }
    // Trailers need a chunked body: none for HEAD, 1xx, 204, 304 or an HTTP/1.0 client (Node would throw), and then no signature.
    trailing = res.req?.method !== 'HEAD' && res.useChunkedEncodingByDefault && status >= 200 && status !== 204 && status !== 304;
    if (trailing) {
      res.removeHeader('content-length');
      res.setHeader('trailer', SIGNATURE_HEADERS.answer);
    }
    return writeHead(status, typeof a === 'string' ? a : undefined);
  }) as ServerResponse['writeHead'];
  res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    const b = bytes(chunk, encoding);
    if (b !== undefined) hash.update(b);
    return write(chunk, encoding, cb);
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
    if (typeof chunk === 'function') [chunk, cb] = [undefined, chunk];
    if (typeof encoding === 'function') [encoding, cb] = [undefined, encoding];
    if (!res.headersSent) res.writeHead(res.statusCode);
    if (chunk !== undefined && chunk !== null) {
      const b = bytes(chunk, encoding);
      if (b !== undefined) hash.update(b);
    }
    if (trailing) res.addTrailers({ [SIGNATURE_HEADERS.answer]: answerSignature(secret, nonce, res.statusCode, answerHead((h) => res.getHeader(h)), hash.digest('hex')) });
    return end(chunk, encoding, cb);
  }) as ServerResponse['end'];
}

export type VerdictCode = 'NODE_UNSIGNED' | 'NODE_SIGNATURE_INVALID' | 'NODE_CLOCK_SKEW' | 'NODE_REPLAY' | 'NODE_MISDIRECTED' | 'NODE_BUSY' | 'NODE_BODY_NOT_ALLOWED';

export type Verdict = { ok: true; from: string; nonce: string } | { ok: false; status: number; code: VerdictCode; message: string };

export interface VerifierOptions {
  /** This node's name: a request signed for another node is refused (`421 NODE_MISDIRECTED`). */
  node: string;
  /** How far the signed time may be from this node's clock. Default: 30000 ms. */
  windowMs?: number;
  /** Nonces remembered inside the window; when full, new signed requests are refused (`503 NODE_BUSY`), none forgotten early. Default: 100000. */
  maxNonces?: number;
}

/**
 * Checks signed requests: the signature over method, path, time, nonce,
 * sender and destination; the destination this node; the time within
 * `windowMs` of ours; each nonce used once (remembered for the window). When
 * `maxNonces` are remembered and none has left the window, new requests are
 * refused rather than old nonces forgotten, so a flood cannot reopen replays.
 */
export class Verifier {
  readonly #secret: string;
  readonly #node: string;
  readonly #windowMs: number;
  readonly #maxNonces: number;
  /** Nonce → its signed time, in insertion order. */
  readonly #seen = new Map<string, number>();

  constructor(secret: string, o: VerifierOptions) {
    this.#secret = secret;
    this.#node = o.node;
    this.#windowMs = o.windowMs ?? 30_000;
    this.#maxNonces = o.maxNonces ?? 100_000;
  }

  /** Whether the request carries a node signature at all. */
  static signed(headers: IncomingHttpHeaders): boolean {
    return headers[SIGNATURE_HEADERS.signature] !== undefined || headers[SIGNATURE_HEADERS.from] !== undefined;
  }

  /** The secret, to sign the answer to a request that passed. */
  get secret(): string {
    return this.#secret;
  }

  /**
   * `probe`: the request is the discovery probe of `/api/about`, which may be
   * signed for no destination (`''`): its answer tells only the node's name.
   */
  verify(method: string, path: string, headers: IncomingHttpHeaders, now = Date.now(), probe = false): Verdict {
    const get = (h: string): string | undefined => {
      const v = headers[h];
      return typeof v === 'string' ? v : undefined;
    };
    const time = get(SIGNATURE_HEADERS.time);
    const nonce = get(SIGNATURE_HEADERS.nonce);
    const from = get(SIGNATURE_HEADERS.from);
    const to = get(SIGNATURE_HEADERS.to);
    const signature = get(SIGNATURE_HEADERS.signature);
    if (time === undefined || nonce === undefined || from === undefined || to === undefined || signature === undefined) {
      return { ok: false, status: 401, code: 'NODE_UNSIGNED', message: 'A request between nodes must be signed with the shared secret' };
    }
    // The signature does not cover a body, so a signed request may not carry one (none of the routes between nodes takes one).
    const length = headers['content-length'];
    if ((length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined) {
      return { ok: false, status: 400, code: 'NODE_BODY_NOT_ALLOWED', message: 'A request between nodes carries no body' };
    }
    const expected = mac(this.#secret, method, path, time, nonce, from, to);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, status: 401, code: 'NODE_SIGNATURE_INVALID', message: 'The node signature does not match (another secret?)' };
    }
    if (to !== this.#node && !(to === '' && probe)) {
      return { ok: false, status: 421, code: 'NODE_MISDIRECTED', message: `This request was signed for node "${to}", not for this one` };
    }
    const t = Number(time);
    if (!Number.isFinite(t) || Math.abs(now - t) > this.#windowMs) {
      return { ok: false, status: 401, code: 'NODE_CLOCK_SKEW', message: `The signed time is more than ${this.#windowMs / 1000} s from this node's clock` };
    }
    if (this.#seen.has(nonce)) return { ok: false, status: 401, code: 'NODE_REPLAY', message: 'This signed request was already used' };
    if (this.#seen.size >= this.#maxNonces) this.#forget(now);
    if (this.#seen.size >= this.#maxNonces) {
      return { ok: false, status: 503, code: 'NODE_BUSY', message: `More than ${this.#maxNonces} signed requests inside ${this.#windowMs / 1000} s: try again later` };
    }
    this.#seen.set(nonce, t);
    if (this.#seen.size % 1024 === 0) this.#forget(now);
    return { ok: true, from, nonce };
  }

  /** Forgets the nonces whose signed time left the window: a replay of them is refused by the window. */
  #forget(now: number): void {
    for (const [n, t] of this.#seen) if (Math.abs(now - t) > this.#windowMs) this.#seen.delete(n);
  }
}
