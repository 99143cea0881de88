/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Names that hold secrets by default: environment variables, flags, headers, query parameters, keys of connection strings. */
export const DEFAULT_SECRET_NAMES: readonly RegExp[] = [
  /token/i,
  /secret/i,
  /passw(or)?d/i,
  /pass($|[^a-z])/i,
  /passphrase|passcode/i,
  /pwd/i,
  /(^|[^a-z])pw($|[^a-z])/i,
  /key/i,
  /auth/i,
  /cookie/i,
  /credential/i,
  /session/i,
  /private/i,
  /signature/i,
  /dsn/i,
  /bearer/i,
  /jwt/i,
  /hmac/i,
];

/** Query and fragment parameters that are secret although their names say nothing to the rule above (OAuth `code`, SAS `sig`, ...). */
const QUERY_SECRET_NAMES = new Set(['sig', 'code', 'ticket', 'sid', 'otp', 'assertion', 'samlresponse', 'samlrequest', 'x-amz-signature', 'x-goog-signature']);

/** Environment variables whose names look secret but never are: the shell's working directories. */
const ENV_NEVER_SECRET = new Set(['pwd', 'oldpwd']);

export interface RedactOptions {
  /** Name patterns whose values are secret. Default: `DEFAULT_SECRET_NAMES` (token, secret, password, pass, pwd, pw, key, auth, cookie, credential, session, private, signature, dsn, bearer, jwt, hmac). */
  secretNames?: readonly RegExp[];
  /** Names shown even though a pattern matches them (exact, case-insensitive), e.g. `['KEYBOARD_LAYOUT']`. */
  show?: readonly string[];
  /** Turn redaction off entirely. Default: false. Only for a trusted, local setting. */
  disabled?: boolean;
}

/**
 * Decides what is secret and hides it; one rule for env, argv, headers, URLs
 * and any other text a page shows. It fails closed: a value whose name looks
 * secret is hidden whole, whatever its form.
 */
export interface Redactor {
  isSecret(name: string): boolean;
  /** Environment-style record: secret names get `[redacted]`, other values go through `text`. */
  record(values: Readonly<Record<string, string | undefined>>): Record<string, string>;
  /** Command-line arguments: `--token=x`, `--token x`, `-p x`, `-px`, `TOKEN=x`, `-u user:pw`, and `text` on every argument. */
  argv(args: readonly string[]): string[];
  /** HTTP headers: secret names redacted whole, other values through `text`, arrays kept. */
  headers(headers: Readonly<Record<string, string | string[] | number | undefined>>): Record<string, string | string[]>;
  /** A URL or a request's path and query: credentials and secret query or fragment parameters redacted (then `text`). */
  url(url: string): string;
  /**
   * Any text: credentials in URLs (WHATWG or not: `jdbc:`, `user:pw@host`),
   * `name=value` and `name: value` pairs with secret names (connection strings,
   * JSON, header lines), secret flags inside a command line, and tokens
   * recognisable by their form (JWT, AWS key ids, PEM private keys, GitHub,
   * GitLab, Slack, Stripe, Google, npm tokens, `Bearer` and `Basic` credentials).
   */
  text(value: string): string;
  /** A JSON-like value, deep: keys with secret names hide their value whole, every other string goes through `text`. */
  deep<T>(value: T): T;
}

/**
 * The redaction rule.
 *
 * ```ts
 * const r = createRedactor({ show: ['KEYBOARD_LAYOUT'] });
 * r.url('postgres://u:p@ss@h/db'); // 'postgres://u:[redacted]@h/db'
 * r.argv(['mysql', '-psecret']);   // ['mysql', '-p[redacted]']
 * ```
 */
export function createRedactor(options: RedactOptions = {}): Redactor {
  const patterns = options.secretNames ?? DEFAULT_SECRET_NAMES;
  const show = new Set((options.show ?? []).map((s) => s.toLowerCase()));
  const off = options.disabled === true;
  // Names repeat (every row of a table has the same fields): each is judged once, in a bounded cache.
  const judged = new Map<string, boolean>();
  const isSecret = (name: string): boolean => {
    if (off) return false;
    let secret = judged.get(name);
    if (secret === undefined) {
      secret = !show.has(name.toLowerCase()) && patterns.some((p) => p.test(name));
      if (judged.size >= 10_000) judged.clear();
      judged.set(name, secret);
    }
    return secret;
  };
  const isSecretParam = (name: string): boolean => {
    const n = decodeSafe(name).trim();
    return isSecret(n) || (!off && !show.has(n.toLowerCase()) && QUERY_SECRET_NAMES.has(n.toLowerCase()));
  };
  const isSecretFlag = (name: string): boolean => isSecret(name.replace(/^-+/, ''));

  const text = (s: string): string => {
    if (off || typeof s !== 'string' || s === '') return s;
    // Each pass runs only when its cheapest sign is there: most values hold none, and a page can hold thousands of them.
    let out = s.includes('PRIVATE KEY') ? s.replace(PEM, REDACTED) : s;
    if (out.includes('://')) out = findUrls(out, (scheme, rest) => `${scheme}//${redactUrlTail(rest, isSecretParam)}`);
    if (out.includes('@')) out = out.replace(BARE_USERINFO, (_, user: string, host: string) => `${user}:${REDACTED}@${host}`);
    if (TOKEN_SIGN.test(out)) {
      for (const [re, keep] of TOKENS) out = out.replace(re, (m: string, ...groups: unknown[]) => (keep ? `${groups[0] as string}${REDACTED}` : REDACTED));
    }
    out = pairs(out, isSecretFlag);
    if (out.includes('-p')) {
      out = out.replace(SHORT_P_IN_TEXT, (m: string, gap: string | undefined, spaced: string | undefined, attached: string | undefined) =>
        (spaced ?? attached) === REDACTED ? m : `-p${gap ?? ''}${REDACTED}`,
      );
    }
    if (out.includes('-')) out = out.replace(FLAG_IN_TEXT, (m: string, flag: string, gap: string, value: string) => (flag.length > 2 && isSecretFlag(flag) && !value.startsWith('--') ? `${flag}${gap}${REDACTED}` : m));
    return out;
  };

  const url = (raw: string): string => {
    if (off) return raw;
    // A request's path and query has no scheme: its query and fragment are read as a URL's; `//host/...` has an authority.
    if (raw.startsWith('//')) return text(`//${redactUrlTail(raw.slice(2), isSecretParam)}`);
    return text(/^[/?#]/.test(raw) ? redactUrlTail(raw, isSecretParam, true) : raw);
  };

  /** Levels of nesting `deep` scans; a value below them is replaced whole. */
  const MAX_DEPTH = 64;

  const userPass = (v: string): string => {
    const colon = v.indexOf(':');
    return colon < 0 ? text(v) : `${v.slice(0, colon)}:${REDACTED}`;
  };

  // Failing closed: past the depth or on a cycle nothing of the value is kept, since what is below was not scanned.
  const deep = (v: unknown, depth: number, above: Set<object>): unknown => {
    if (typeof v === 'string') return text(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth > MAX_DEPTH || above.has(v)) return REDACTED;
    above.add(v);
    try {
      if (Array.isArray(v)) return v.map((x) => deep(x, depth + 1, above));
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = isSecret(k) && x !== null && x !== '' && typeof x !== 'boolean' ? REDACTED : deep(x, depth + 1, above);
      return out;
    } finally {
      above.delete(v);
    }
  };

  return {
    isSecret,
    record(values) {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(values)) {
        if (v === undefined) continue;
        out[k] = isSecret(k) && !ENV_NEVER_SECRET.has(k.toLowerCase()) ? REDACTED : text(v);
      }
      return out;
    },
    argv(args) {
      if (off) return [...args];
      const out: string[] = [];
      let next: 'hide' | 'userpass' | undefined;
      for (const arg of args) {
        const pending = next;
        next = undefined;
        // A flag's value never starts with `--`: that is the next flag (`--no-auth --port 4001`).
        if (pending === 'hide' && !arg.startsWith('--')) {
          out.push(REDACTED);
          continue;
        }
        if (pending === 'userpass' && !arg.startsWith('-')) {
          out.push(userPass(arg));
          continue;
        }
        const flag = /^(--?)([^=\s-][^=\s]*)(?:=(.*))?$/s.exec(arg);
        if (flag !== null) {
          const [, dashes, name, value] = flag as unknown as [string, string, string, string | undefined];
          // `-p secret` and `-psecret` (mysql, sshpass): a short p flag is a password.
          if (dashes === '-' && name.startsWith('p')) {
            if (name === 'p' && value === undefined) {
              out.push(arg);
              next = 'hide';
            } else out.push(`-p${name === 'p' ? '=' : ''}${REDACTED}`);
            continue;
          }
          if (isSecret(name) && !/^no-/.test(name)) {
            if (value !== undefined) out.push(`${dashes}${name}=${REDACTED}`);
            else {
              out.push(arg);
              next = 'hide';
            }
            continue;
          }
          if (name === 'u' || name === 'user' || name === 'proxy-user') {
            if (value !== undefined) out.push(`${dashes}${name}=${userPass(value)}`);
            else {
              out.push(arg);
              next = 'userpass';
            }
            continue;
          }
          out.push(value !== undefined ? `${dashes}${name}=${text(value)}` : arg);
          continue;
        }
        // `TOKEN=x` is hidden whole, unless it is a shell's command line (`sh -c "PGPASSWORD=x psql"`), read as text.
        const assign = /^([A-Za-z_][\w.-]*)=(.*)$/s.exec(arg);
        if (assign !== null && isSecret(assign[1]!) && out[out.length - 1] !== '-c') {
          out.push(`${assign[1]}=${REDACTED}`);
          continue;
        }
        out.push(text(arg));
      }
      return out;
    },
    headers(headers) {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(headers)) {
        if (v === undefined) continue;
        if (isSecret(k)) out[k] = REDACTED;
        else out[k] = Array.isArray(v) ? v.map((x) => text(String(x))) : text(String(v));
      }
      return out;
    },
    url,
    text,
    deep: <T>(value: T): T => (off ? value : (deep(value, 0, new Set()) as T)),
  };
}

/** A PEM private key (RSA, EC, OpenSSH, PGP, encrypted): to its END line, or to the end of the text when that is missing. */
const PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g;

/** `user:password@host` without a scheme (`HTTPS_PROXY=u:pw@proxy:3128`). */
const BARE_USERINFO = /(?<![\w/.:@%+~-])([A-Za-z0-9._~%+-]+):(?!\/\/)[^\s@/]+@((?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(?::\d+)?)(?=[\s/?#,;:'"]|$)/g;

/** Tokens recognisable by their form; `true`: keep the first group (a prefix that says what it was). */
const TOKENS: readonly (readonly [RegExp, boolean])[] = [
  [/\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g, false],
  [/\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}\b/g, false],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, false],
  [/\bglpat-[A-Za-z0-9_-]{16,}/g, false],
  [/\bxox[abposre]-[A-Za-z0-9-]{8,}/g, false],
  [/(hooks\.slack\.com\/(?:services|workflows)\/)[^\s"'?#]+/g, true],
  [/(discord(?:app)?\.com\/api\/webhooks\/\d+\/)[^\s"'?#/]+/g, true],
  [/\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}/g, false],
  [/\bwhsec_[A-Za-z0-9]{16,}/g, false],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, false],
  [/\bnpm_[A-Za-z0-9]{30,}/g, false],
  [/\bsk-(?:proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{20,}/g, false],
  [/\b((?:Bearer|Basic)\s+)(?!\[redacted\])[A-Za-z0-9._~+/=-]{6,}/gi, true],
];

/** Present in every text one of `TOKENS` could match. */
const TOKEN_SIGN = /eyJ|A[A-Z]{3}[A-Z0-9]{16}|gh[pousr]_|github_pat_|glpat-|xox|_live_|_test_|whsec_|AIza|npm_|sk-|[Bb]earer|[Bb]asic|BEARER|BASIC|hooks\.slack|webhooks\//;
// Case-sensitive on purpose: a case-insensitive alternation costs five times more on every string.

/** `--name value` inside a longer text (a shell command line); `--name=value` is a pair. */
const FLAG_IN_TEXT = /(?<![\w-])(--?[A-Za-z][\w.-]*)([ \t]+)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s"']+)/g;

/** `-p secret` and `-psecret` inside a longer text. */
const SHORT_P_IN_TEXT = /(?<![\w-])-p(?:([ \t]+)(?!-)([^\s]+)|([^\s=]+))/g;

/**
 * `name=value` and `name: value` with a secret name, in a connection string
 * (`host=h password=x`, `Server=h;Password=x;`, `AccountKey=...;`), JSON, a
 * header line or an env-style assignment. A value is quoted, in braces (ODBC),
 * or runs to the next `;`, `&` or line end — and to the next blank too when
 * the text has no `;` (libpq separates pairs by blanks).
 */
function pairs(s: string, isSecretName: (name: string) => boolean): string {
  let out = s;
  if (out.includes('=')) {
    out = out.replace(out.includes(';') ? PAIR_SEMI : PAIR_BLANK, (m: string, name: string, sep: string, value: string) =>
      hidden(value) && isSecretName(name) ? `${name}${sep}${quoted(value)}` : m,
    );
  }
  if (out.includes(':')) {
    out = out.replace(PAIR_COLON, (m: string, q: string, name: string, sep: string, value: string) =>
      hidden(value) && !value.startsWith('//') && isSecretName(name) ? `${q}${name}${q}${sep}${quoted(value)}` : m,
    );
  }
  return out;
}

const pair = (unquoted: string): RegExp =>
  new RegExp(`(?<![\\w.])(-{0,2}[A-Za-z_][\\w.-]*)(\\s*=\\s*)("(?:[^"\\\\]|\\\\.)*"?|'(?:[^'\\\\]|\\\\.)*'?|\\{[^}]*\\}?|${unquoted})`, 'g');
const PAIR_SEMI = pair('[^;&\\n]*');
const PAIR_BLANK = pair('[^\\s;&]*');
const PAIR_COLON = /(?<![\w.\-/@:%])(["']?)([A-Za-z_][\w.-]*)\1([ \t]*:[ \t]*)("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|(?![{[])[^\n,}"']*)/g;

/**
 * Every URL in a text, scheme first (`https:`, `jdbc:postgresql:`): `f` gets
 * the scheme and what follows `//` up to a blank, a quote or the next URL.
 */
function findUrls(s: string, f: (scheme: string, rest: string) => string): string {
  return s.replace(URL_IN_TEXT, (_, scheme: string, rest: string) => f(scheme, rest));
}

const URL_IN_TEXT = /(?<![A-Za-z0-9+.-])((?:[A-Za-z][A-Za-z0-9+.-]*:)+)\/\/((?:(?![A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s"'<>`])*)/g;

/** What may follow the `@` that ends a URL's credentials: a host (names, IPv4, [IPv6], a comma-separated list), a port, then the path, query or end. */
const HOST_AFTER_AT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%-]+)(?::\d*)?(?:[,/?#;]|$)/;

/**
 * What follows a URL's `//`, with its credentials and secret parameters
 * redacted. A password may hold `@`, `/`, `:` (WHATWG parsers split it at the
 * wrong `@`): the credentials end at the `@` after which a host follows,
 * the last such `@` before any `?` or `#`. User-only credentials (`key@host`,
 * Sentry DSNs) are hidden whole; `user:password` keeps the user.
 */
function redactUrlTail(rest: string, isSecretParam: (name: string) => boolean, pathOnly = false): string {
  let at = -1;
  if (!pathOnly) {
    let tries = 0;
    for (let i = rest.indexOf('@'); i >= 0; i = rest.indexOf('@', i + 1)) {
      // Each try reads what precedes it: past 32 `@`, the text is hostile, and hidden whole (failing closed, in linear time).
      if (++tries > 32) return REDACTED;
      if (!userinfoLike(rest.slice(0, i)) || !HOST_AFTER_AT.test(rest.slice(i + 1))) continue;
      if (at >= 0 && /[?#]/.test(rest.slice(at + 1, i))) break;
      at = i;
    }
  }
  if (at < 0) return redactParams(rest, isSecretParam);
  const info = rest.slice(0, at);
  const colon = info.indexOf(':');
  const user = colon >= 0 ? info.slice(0, colon) : '';
  const shown = colon >= 0 && !/[/?#]/.test(user) ? `${user}:${REDACTED}` : REDACTED;
  return `${shown}@${redactParams(rest.slice(at + 1), isSecretParam)}`;
}

/** Could be `user`, `user:password` or `:password` (and is not `host:port/...` or a path holding an `@`). */
function userinfoLike(c: string): boolean {
  if (c === '') return false;
  if (!c.includes(':')) return !/[/?#]/.test(c);
  return !/^[^:/?#]*:\d*[/?#]/.test(c);
}

/** Query and fragment parameters (`?a=1&sig=x`, `#access_token=x`) with secret names get `[redacted]`. */
function redactParams(s: string, isSecretParam: (name: string) => boolean): string {
  const q = s.search(/[?#]/);
  if (q < 0) return s;
  const params = s.slice(q).replace(/([?#&;])([^=&;#?]*)=([^&;#]*)/g, (m: string, sep: string, name: string, value: string) =>
    value !== '' && isSecretParam(name) ? `${sep}${name}=${REDACTED}` : m,
  );
  return s.slice(0, q) + params;
}

/** Whether a value is still to hide (not empty, not already redacted). */
function hidden(value: string): boolean {
  const v = value.trim();
  return v !== '' && v !== REDACTED && v !== `"${REDACTED}"` && v !== `'${REDACTED}'`;
}

/** `[redacted]` after the value's leading blanks, in the quotes it had (so that JSON stays JSON). */
function quoted(value: string): string {
  const lead = /^\s*/.exec(value)![0];
  const q = value[lead.length];
  return `${lead}${q === '"' || q === "'" ? `${q}${REDACTED}${q}` : REDACTED}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
