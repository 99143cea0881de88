// The Graphite reporter's options, from a loaded configuration or straight from
// the environment: the same option specs (OPTIONS), the same conversion and
// the same messages as loadConfig, so WOBSERVER_GRAPHITE* is parsed in one place.
import { ConfigError } from '../errors.js';
import type { GraphiteOptions } from '../reporters/index.js';
import { convert, refused } from './convert.js';
import type { Config } from './load.js';
import { OPTIONS, type OptionSpec } from './options.js';

const GRAPHITE = OPTIONS.filter((s) => s.path.startsWith('graphite.'));
const PERIOD = OPTIONS.find((s) => s.path === 'metrics.period')!;

/** The reporter's options in a configuration, or undefined without `graphite.address`; `period` is left to the registry's. */
export function graphiteFromConfig(c: Config): GraphiteOptions | undefined {
  const address = c['graphite.address'] as { host: string; port: number } | undefined;
  if (address === undefined) return undefined;
  const o: Record<string, unknown> = { ...address };
  for (const spec of GRAPHITE) {
    if (spec.path !== 'graphite.address' && c[spec.path] !== undefined) o[spec.path.slice('graphite.'.length)] = c[spec.path];
  }
  return o as GraphiteOptions;
}

/**
 * Graphite options from the environment, or undefined when `WOBSERVER_GRAPHITE`
 * is not set: `WOBSERVER_GRAPHITE` (host:port), every other
 * `WOBSERVER_GRAPHITE_*` option (`WOBSERVER_GRAPHITE_PREFIX`,
 * `WOBSERVER_GRAPHITE_LABELS` = `segments` or `tags`, …; see `OPTIONS`) and
 * `WOBSERVER_PERIOD` (seconds) as `period`. Other variables are not read.
 *
 * @throws ConfigError (`INVALID_CONFIG`) naming each bad variable, its value and what is allowed.
 * @example
 * const o = graphiteOptionsFromEnv();
 * if (o) new GraphiteReporter(registry, o).start();
 */
export function graphiteOptionsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): GraphiteOptions | undefined {
  if (env.WOBSERVER_GRAPHITE === undefined || env.WOBSERVER_GRAPHITE === '') return undefined;
  const c: Config = {};
  const problems: string[] = [];
  const read = (spec: OptionSpec, path: string): void => {
    const raw = env[spec.env];
    if (raw === undefined || raw === '') return;
    const v = convert(spec, raw);
    if (v.ok) c[path] = v.value;
    else problems.push(refused(spec, spec.env, raw));
  };
  for (const spec of GRAPHITE) read(spec, spec.path);
  read(PERIOD, 'graphite.period');
  if (problems.length > 0) throw new ConfigError(problems);
  const o = graphiteFromConfig(c)!;
  if (c['graphite.period'] !== undefined) o.period = c['graphite.period'] as number;
  return o;
}
