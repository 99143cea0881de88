import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { convert, refused } from './convert.js';
import { OPTIONS } from './options.js';

import { ConfigError } from '../errors.js';

export { ConfigError };

/** Variables of wobserver's own tools that are not options. */
const OTHER_VARIABLES = ['WOBSERVER_CONFIG', 'WOBSERVER_CLUSTER_SIZE'];

import type { ConfigValue } from './convert.js';

export type { ConfigValue };
/** Values by option path (`nodes.secret`), after validation. */
export type Config = Record<string, ConfigValue>;

export interface LoadOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** The config file; default: `WOBSERVER_CONFIG`, else `wobserver.config.json` in the working folder when there is one. */
  file?: string;
  /** Values set in code; they win over the environment, which wins over the file. */
  overrides?: Record<string, unknown>;
}

function flatten(o: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    out[prefix] = o;
    return out;
  }
  for (const [k, v] of Object.entries(o)) {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    // A leaf option may itself be an object or list (an address, a list): stop there.
    if (OPTIONS.some((s) => s.path === path)) out[path] = v;
    else flatten(v, path, out);
  }
  return out;
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length]![b.length]!;
}

/** The option whose path (or last part) is nearest to a mistyped one. */
function closest(path: string): string | undefined {
  let best: { path: string; d: number } | undefined;
  for (const s of OPTIONS) {
    const d = Math.min(distance(path.toLowerCase(), s.path.toLowerCase()), distance(path.split('.').pop()!.toLowerCase(), s.path.split('.').pop()!.toLowerCase()));
    if (best === undefined || d < best.d) best = { path: s.path, d };
  }
  return best !== undefined && best.d <= 2 ? best.path : undefined;
}

/**
 * One configuration from the options given in code, the environment
 * (`WOBSERVER_*`) and an optional JSON file, in that order of precedence.
 * Every problem is reported at once.
 */
export function loadConfig(o: LoadOptions = {}): Config {
  const env = o.env ?? process.env;
  const problems: string[] = [];
  const sources: { name: string; values: Record<string, unknown>; fromEnv?: boolean }[] = [];
  const file = o.file ?? env.WOBSERVER_CONFIG ?? (existsSync('wobserver.config.json') ? 'wobserver.config.json' : undefined);
  if (file !== undefined) {
    try {
      sources.push({ name: `config file ${resolve(file)}`, values: flatten(JSON.parse(readFileSync(file, 'utf8'))) });
    } catch (err) {
      problems.push(`config file ${resolve(file)}: ${(err as Error).message}`);
    }
  }
  const fromEnv: Record<string, unknown> = {};
  for (const spec of OPTIONS) if (env[spec.env] !== undefined && env[spec.env] !== '') fromEnv[spec.path] = env[spec.env];
  for (const name of Object.keys(env)) {
    if (name.startsWith('WOBSERVER_') && !OTHER_VARIABLES.includes(name) && !OPTIONS.some((s) => s.env === name)) {
      problems.push(`${name}: no such setting; settings are ${OPTIONS.map((s) => s.env).join(', ')}`);
    }
  }
  sources.push({ name: 'environment', values: fromEnv, fromEnv: true });
  if (o.overrides !== undefined) sources.push({ name: 'options', values: flatten(o.overrides) });

  const config: Config = {};
  for (const source of sources) {
    for (const [path, raw] of Object.entries(source.values)) {
      if (raw === undefined) continue;
      const spec = OPTIONS.find((s) => s.path === path);
      if (spec === undefined) {
        const guess = closest(path);
        problems.push(`${source.name}: unknown option "${path}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
        continue;
      }
      const c = convert(spec, raw);
      const name = source.fromEnv ? spec.env : `${spec.path}${source.name === 'options' ? '' : ` (${source.name})`}`;
      if (!c.ok) problems.push(refused(spec, name, raw));
      else config[path] = c.value;
    }
  }
  // Rules between options.
  const secret = config['nodes.secret'];
  if (typeof secret === 'string' && secret.length < 16) problems.push('nodes.secret (WOBSERVER_SECRET): must be at least 16 characters');
  if ((config['auth.basic.username'] === undefined) !== (config['auth.basic.password'] === undefined)) {
    problems.push('auth.basic.username and auth.basic.password (WOBSERVER_BASIC_USER, WOBSERVER_BASIC_PASSWORD): set both or neither');
  }
  if (config['nodes.discovery'] === 'dns' && config['nodes.dns.name'] === undefined) problems.push('nodes.discovery = "dns" needs nodes.dns.name (WOBSERVER_DNS_NAME)');
  if (config['nodes.discovery'] === 'static' && config['nodes.static'] === undefined) problems.push('nodes.discovery = "static" needs nodes.static (WOBSERVER_NODES)');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
