import { startDemo } from './service.js';

// `npm start [-- --graphite host:port]`: the demo service with wobserver on
// http://127.0.0.1:4001 (WOBSERVER_HOST, WOBSERVER_PORT); with --graphite (or
// WOBSERVER_GRAPHITE) its metrics go to carbon too, every WOBSERVER_PERIOD seconds.
function fail(message: string): never {
  console.error(`wobserver demo: ${message}`);
  process.exit(2);
}

/** `host:port`, `[v6]:port`, or `:port` (loopback). */
function address(value: string, what: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
  const port = Number(m?.[3]);
  if (m === null || !(port > 0 && port < 65536)) fail(`${what} must be host:port (e.g. 127.0.0.1:2003), got ${JSON.stringify(value)}`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

const args = process.argv.slice(2);
let graphiteArg = process.env.WOBSERVER_GRAPHITE;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--graphite') graphiteArg = args[++i] ?? fail('--graphite needs host:port');
  else if (args[i]!.startsWith('--graphite=')) graphiteArg = args[i]!.slice('--graphite='.length);
  else if (args[i] === '--help' || args[i] === '-h') {
    console.log('usage: npm start [-- --graphite host:port]\nenvironment: WOBSERVER_HOST, WOBSERVER_PORT, WOBSERVER_GRAPHITE, WOBSERVER_GRAPHITE_PREFIX, WOBSERVER_PERIOD');
    process.exit(0);
  } else fail(`unknown argument ${JSON.stringify(args[i])} (try --help)`);
}
const port = Number(process.env.WOBSERVER_PORT ?? 4001);
const host = process.env.WOBSERVER_HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`WOBSERVER_PORT must be a port number (0-65535), got ${JSON.stringify(process.env.WOBSERVER_PORT)}`);
const period = Number(process.env.WOBSERVER_PERIOD ?? 10);
if (!Number.isInteger(period) || period < 1) fail(`WOBSERVER_PERIOD must be a whole number of seconds >= 1, got ${JSON.stringify(process.env.WOBSERVER_PERIOD)}`);
const graphite = graphiteArg === undefined || graphiteArg === '' ? undefined : { ...address(graphiteArg, '--graphite'), prefix: process.env.WOBSERVER_GRAPHITE_PREFIX };

try {
  const demo = await startDemo({ host, port, period, graphite });
  console.log(`wobserver on ${demo.url} (API at ${demo.url}/api, metrics at ${demo.url}/metrics); the demo application on ${demo.appUrl}`);
  if (graphite !== undefined) console.log(`metrics to carbon at ${graphite.host}:${graphite.port} every ${period} s`);
  const stop = (signal: string): void => {
    console.log(`wobserver demo: ${signal}, closing`);
    void demo.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  console.error(`wobserver demo: cannot listen on ${host}:${port}: ${e.code ?? ''} ${e.message}`);
  process.exit(1);
}
