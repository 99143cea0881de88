/** A content coding wobserver can send. */
export type ContentCoding = 'br' | 'gzip' | 'identity';

/** The codings wobserver prefers, best first, when a client likes several equally. */
export const CODING_PREFERENCE: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

/** Longest `Accept-Encoding` value read; the rest is ignored. */
const MAX_HEADER = 4096;
/** Below the smallest q-value a client can write (0.001). */
const IMPLICIT_IDENTITY = 0.0001;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Picks the content coding of a response from the request's `Accept-Encoding`
 * (RFC 9110 §12.5.3), among `available` (default: br and gzip) and identity:
 *
 * - each listed coding has the weight of its `q` (default 1; `q=0`: not
 *   acceptable; a malformed q-value counts as 0); names are case-insensitive,
 *   `x-gzip` is gzip; `*` gives its weight to every coding not listed;
 * - identity is acceptable unless `identity;q=0`, or `*;q=0` without identity;
 *   not listed, it comes after every listed coding (`br;q=0.5` still gets br);
 * - no header at all: identity (a client that sends none may not decode);
 *   an empty header: identity;
 * - the highest weight wins; equal weights go by br > gzip > identity;
 * - when nothing is acceptable (`identity;q=0` and no coding it can send),
 *   identity all the same: the answer is the content, rather than a 406.
 *
 * ```ts
 * negotiateEncoding('gzip, br;q=0.8');           // 'gzip'
 * negotiateEncoding('gzip;q=0');                  // 'identity'
 * negotiateEncoding('br, gzip', ['gzip']);        // 'gzip' (no .br file)
 * ```
 */
export function negotiateEncoding(header: string | readonly string[] | undefined, available: readonly ContentCoding[] = ['br', 'gzip']): ContentCoding {
  if (header === undefined) return 'identity';
  const value = (typeof header === 'string' ? header : header.join(',')).slice(0, MAX_HEADER);
  const weights = new Map<string, number>();
  for (const member of value.split(',')) {
    const [rawName, ...params] = member.split(';');
    let name = (rawName ?? '').trim().toLowerCase();
    if (name === '') continue;
    if (name === 'x-gzip') name = 'gzip';
    let q = 1;
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== 'q') continue;
      const v = p.slice(eq + 1).trim();
      q = QVALUE.test(v) ? Number(v) : 0;
    }
    // A coding listed twice keeps its higher weight.
    weights.set(name, Math.max(weights.get(name) ?? 0, q));
  }
  const star = weights.get('*');
  let best: ContentCoding = 'identity';
  let bestQ = 0;
  for (const coding of CODING_PREFERENCE) {
    if (coding !== 'identity' && !available.includes(coding)) continue;
    // Identity that is neither listed nor covered by `*` is acceptable, below any listed coding.
    const q = weights.get(coding) ?? star ?? (coding === 'identity' ? IMPLICIT_IDENTITY : 0);
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}
