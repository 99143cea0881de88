// One node of a test fleet: wobserver standalone on the given port, with the
// given discovery and secret; a table and a counter name it. Prints its URL and pid.
import { createRegistry } from '../../src/metrics/index.js';
import { createObserver } from '../../src/runtime/index.js';
import { start } from '../../src/server/index.js';

const config = JSON.parse(process.env.NODE_CONFIG ?? '{}') as {
  name: string;
  port: number;
  secret?: string;
  static?: string[];
  dns?: { name: string; srv?: boolean; port?: number; servers?: string[]; family?: 4 | 6 };
  customFile?: string;
};
const registry = createRegistry({ node: config.name });
registry.counter({ name: 'proc_marker_total', help: 'One per node', labelNames: ['kind'] }).inc({ kind: 'test' }, 1);
const observer = createObserver();
observer.tables.register(`table-${config.name}`, new Map([['who', config.name]]));
const { readFileSync } = await import('node:fs');
const s = await start({
  port: config.port,
  registry,
  observer,
  nodeName: config.name,
  diagnostics: true,
  nodes: {
    ...(config.secret ? { secret: config.secret } : {}),
    ...(config.static ? { discovery: 'static' as const, static: config.static } : {}),
    ...(config.dns ? { discovery: 'dns' as const, dns: config.dns } : {}),
    ...(config.customFile ? { discovery: 'custom' as const, custom: () => JSON.parse(readFileSync(config.customFile!, 'utf8')) as string[] } : {}),
    ttlMs: 300,
    timeoutMs: 2000,
    scrapeTimeoutMs: 1000,
  },
});
console.log(JSON.stringify({ url: s.url, pid: process.pid }));
process.on('SIGTERM', () => void s.close().then(() => process.exit(0)));
