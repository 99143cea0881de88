// Turning one raw value (a string from the environment, a JSON value from a
// file) into an option's type, and saying what was allowed when it cannot be.
import { parseHostPort } from './address.js';
import type { OptionSpec } from './options.js';

export type ConfigValue = string | number | boolean | string[] | Record<string, string> | { host: string; port: number };

/** What a value of this option may be, for messages. */
export function allowed(spec: OptionSpec): string {
  const t = spec.type;
  if (typeof t === 'object') return `one of ${t.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  return {
    string: 'a string',
    secret: 'a string',
    port: 'a port number from 0 to 65535',
    int: `a whole number >= ${spec.min ?? 0}`,
    bool: 'true or false',
    list: 'a list (comma-separated in the environment)',
    map: 'key=value pairs (comma-separated in the environment) or an object of strings',
    address: 'host:port (e.g. 127.0.0.1:2003)',
    prefix: 'a path such as /wobserver',
  }[t];
}

/** Converts one raw value (a string from the environment, or a JSON value from a file) to its type, or says why not. */
export function convert(spec: OptionSpec, raw: unknown): { ok: true; value: ConfigValue } | { ok: false } {
  const t = spec.type;
  const s = typeof raw === 'string' ? raw.trim() : raw;
  if (typeof t === 'object') return typeof s === 'string' && t.oneOf.includes(s) ? { ok: true, value: s } : { ok: false };
  switch (t) {
    case 'string':
    case 'secret':
      return typeof s === 'string' && s !== '' ? { ok: true, value: s } : { ok: false };
    case 'prefix':
      return typeof s === 'string' && /^\/[A-Za-z0-9._~/-]*$/.test(s) && !s.includes('..') ? { ok: true, value: s } : { ok: false };
    case 'bool':
      if (s === true || s === 'true' || s === '1' || s === 'yes') return { ok: true, value: true };
      if (s === false || s === 'false' || s === '0' || s === 'no') return { ok: true, value: false };
      return { ok: false };
    case 'port':
    case 'int': {
      const n = typeof s === 'number' ? s : typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : Number.NaN;
      const ok = Number.isInteger(n) && n >= (t === 'port' ? 0 : (spec.min ?? 0)) && (t !== 'port' || n <= 65535);
      return ok ? { ok: true, value: n } : { ok: false };
    }
    case 'list': {
      const list = Array.isArray(s) ? s : typeof s === 'string' ? s.split(',').map((x) => x.trim()).filter((x) => x !== '') : undefined;
      return list !== undefined && list.every((x) => typeof x === 'string') ? { ok: true, value: list as string[] } : { ok: false };
    }
    case 'map': {
      if (typeof s === 'object' && s !== null && !Array.isArray(s)) {
        return Object.values(s).every((v) => typeof v === 'string') ? { ok: true, value: s as Record<string, string> } : { ok: false };
      }
      if (typeof s !== 'string') return { ok: false };
      const out: Record<string, string> = {};
      for (const pair of s.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
        const i = pair.indexOf('=');
        if (i <= 0) return { ok: false };
        out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
      }
      return { ok: true, value: out };
    }
    case 'address':
      if (typeof s !== 'string') return { ok: false };
      try {
        return { ok: true, value: parseHostPort(s, spec.env) };
      } catch {
        return { ok: false };
      }
  }
}

/** How a value appears in a message: secrets never. */
export function show(spec: OptionSpec, raw: unknown): string {
  return spec.type === 'secret' ? '(the value given)' : JSON.stringify(raw);
}


/** The problem a refused value is reported as: where it came from (`name`), the value (never a secret's) and what is allowed. */
export function refused(spec: OptionSpec, name: string, raw: unknown): string {
  return `${name} = ${show(spec, raw)}: must be ${allowed(spec)}`;
}
