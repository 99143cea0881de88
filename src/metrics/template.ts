import { hostname } from 'node:os';

const TOKEN = /%([A-Za-z0-9_]+)%/g;

/**
 * Replaces each `%key%` in `template` by `values[key]`, literally (a value is
 * never read as a pattern, and replaced text is not scanned again). Unknown
 * keys stay as they are.
 *
 * ```ts
 * expandTemplate('%node%.app.requests', { node: 'web_1' }) // 'web_1.app.requests'
 * ```
 */
export function expandTemplate(template: string, values: Readonly<Record<string, string>>): string {
  if (!template.includes('%')) return template;
  return template.replace(TOKEN, (token, key: string) => (Object.hasOwn(values, key) ? values[key]! : token));
}

/** Turns a value into one name segment: every character outside `[a-zA-Z0-9_]` becomes `_`. */
export function nameSegment(value: string): string {
  return value.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** The node's default name: host and pid when the metrics core runs alone; the server passes host and port. */
export function defaultNodeName(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * The substitutions metric names see: `%node%`, `%host%` and `%pid%` reduced to
 * one name segment each (so `web-1.example.com:4001` cannot add dots to a
 * name), then the user's own, which are inserted as given.
 */
export function nameSubstitutions(node: string, user: Readonly<Record<string, string>>): Record<string, string> {
  return {
    node: nameSegment(node),
    host: nameSegment(hostname()),
    pid: String(process.pid),
    ...user,
  };
}
