/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Names that hold secrets by default: environment variables, flags, headers, query parameters. */
export const DEFAULT_SECRET_NAMES: readonly RegExp[] = [
  /token/i,
  /secret/i,
  /passw(or)?d/i,
  /pwd/i,
  /key/i,
  /auth/i,
  /cookie/i,
  /credential/i,
  /session/i,
  /private/i,
  /signature/i,
];

export interface RedactOptions {
  /** Name patterns whose values are secret. Default: `DEFAULT_SECRET_NAMES` (token, secret, password, key, auth, cookie, credential, session, private, signature). */
  secretNames?: readonly RegExp[];
  /** Names shown even though a pattern matches them (exact, case-insensitive), e.g. `['KEYBOARD_LAYOUT']`. */
  show?: readonly string[];
  /** Turn redaction off entirely. Default: false. Only for a trusted, local setting. */
  disabled?: boolean;
}

/** Decides what is secret and hides it; one rule for env, argv, headers and URLs. */
export interface Redactor {
  isSecret(name: string): boolean;
  /** Environment-style record: secret names get `[redacted]`. */
  record(values: Readonly<Record<string, string | undefined>>): Record<string, string>;
  /** Command-line arguments: `--token=x`, `--token x`, `TOKEN=x` and URL credentials. */
  argv(args: readonly string[]): string[];
  /** HTTP headers: secret names redacted, arrays kept. */
  headers(headers: Readonly<Record<string, string | string[] | number | undefined>>): Record<string, string | string[]>;
  /** A URL or path: credentials and secret query parameters redacted. */
  url(url: string): string;
}

export function createRedactor(options: RedactOptions = {}): Redactor {
  const patterns = options.secretNames ?? DEFAULT_SECRET_NAMES;
  const show = new Set((options.show ?? []).map((s) => s.toLowerCase()));
  const off = options.disabled === true;
  const isSecret = (name: string): boolean => !off && !show.has(name.toLowerCase()) && patterns.some((p) => p.test(name));

  const url = (raw: string): string => {
    if (off) return raw;
    let out = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*):([^/@\s]*)@/i, (_, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
    const q = out.indexOf('?');
    if (q >= 0) {
      const hash = out.indexOf('#', q);
      const query = out.slice(q + 1, hash < 0 ? undefined : hash);
      const redacted = query
        .split('&')
        .map((pair) => {
          const eq = pair.indexOf('=');
          const name = decodeSafe(eq < 0 ? pair : pair.slice(0, eq));
          return eq >= 0 && isSecret(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
        })
        .join('&');
      out = `${out.slice(0, q + 1)}${redacted}${hash < 0 ? '' : out.slice(hash)}`;
    }
    return out;
  };

  return {
    isSecret,
    record(values) {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = isSecret(k) ? REDACTED : url(v);
      return out;
    },
    argv(args) {
      const out: string[] = [];
      let hideNext = false;
      for (const arg of args) {
        if (hideNext) {
          out.push(REDACTED);
          hideNext = false;
          continue;
        }
        const flag = /^(--?[^=\s]+)(=(.*))?$/s.exec(arg);
        if (flag !== null) {
          const name = flag[1]!.replace(/^-+/, '');
          if (isSecret(name)) {
            if (flag[2] !== undefined) out.push(`${flag[1]}=${REDACTED}`);
            else {
              out.push(arg);
              hideNext = true;
            }
            continue;
          }
          out.push(flag[2] !== undefined ? `${flag[1]}=${url(flag[3]!)}` : arg);
          continue;
        }
        const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(arg);
        if (assign !== null && isSecret(assign[1]!)) {
          out.push(`${assign[1]}=${REDACTED}`);
          continue;
        }
        out.push(url(arg));
      }
      return out;
    },
    headers(headers) {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(headers)) {
        if (v === undefined) continue;
        if (isSecret(k)) out[k] = REDACTED;
        else out[k] = Array.isArray(v) ? v.map(String) : String(v);
      }
      return out;
    },
    url,
  };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
