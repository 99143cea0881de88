import { graphiteOptionsFromEnv } from '../config/index.js';
import { startDemo } from './service.js';

// `npm start [-- --graphite host:port]`: the demo service with wobserver on
// http://127.0.0.1:4001 (WOBSERVER_HOST, WOBSERVER_PORT); with --graphite (or
// WOBSERVER_GRAPHITE) its metrics go to carbon too, every WOBSERVER_PERIOD seconds.
function fail(message: string): never {
  console.error(`wobserver demo: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
let graphiteArg = process.env.WOBSERVER_GRAPHITE;
let fromFlag = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--graphite') (graphiteArg = args[++i] ?? fail('--graphite needs host:port')), (fromFlag = true);
  else if (args[i]!.startsWith('--graphite=')) (graphiteArg = args[i]!.slice('--graphite='.length)), (fromFlag = true);
  else if (args[i] === '--help' || args[i] === '-h') {
    console.log('usage: npm start [-- --graphite host:port]\nenvironment: WOBSERVER_HOST, WOBSERVER_PORT, WOBSERVER_PERIOD, WOBSERVER_GRAPHITE, WOBSERVER_GRAPHITE_PREFIX, WOBSERVER_GRAPHITE_LABELS, WOBSERVER_NODES, WOBSERVER_SECRET');
    process.exit(0);
  } else fail(`unknown argument ${JSON.stringify(args[i])} (try --help)`);
}
const port = Number(process.env.WOBSERVER_PORT ?? 4001);
const host = process.env.WOBSERVER_HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`WOBSERVER_PORT must be a port number (0-65535), got ${JSON.stringify(process.env.WOBSERVER_PORT)}`);
const period = Number(process.env.WOBSERVER_PERIOD ?? 10);
if (!Number.isInteger(period) || period < 1) fail(`WOBSERVER_PERIOD must be a whole number of seconds >= 1, got ${JSON.stringify(process.env.WOBSERVER_PERIOD)}`);
let graphite: ReturnType<typeof graphiteOptionsFromEnv>;
try {
  graphite = graphiteOptionsFromEnv({ ...process.env, WOBSERVER_GRAPHITE: graphiteArg });
} catch (err) {
  const message = (err as Error).message;
  fail(fromFlag ? message.replace('WOBSERVER_GRAPHITE ', '--graphite ') : message);
}

// A fleet: WOBSERVER_NODES lists every node (host:port, comma-separated), WOBSERVER_SECRET is shared by all.
const nodeList = (process.env.WOBSERVER_NODES ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
const secret = process.env.WOBSERVER_SECRET;
const nodes = nodeList.length > 0 || secret !== undefined ? { ...(nodeList.length > 0 ? { discovery: 'static' as const, static: nodeList } : {}), ...(secret ? { secret } : {}) } : undefined;

/** How often `npm start` blocks its own event loop, through its /block route, so that the Event loop page has data. */
const BLOCK_EVERY = 30_000;

try {
  const demo = await startDemo({ host, port, period, graphite, blockEvery: BLOCK_EVERY, ...(nodes ? { nodes } : {}) });
  console.log(`wobserver on ${demo.url} (API at ${demo.url}/api, metrics at ${demo.url}/metrics); the demo application on ${demo.appUrl}`);
  console.log(`on purpose, the demo blocks its event loop for 250 ms every ${BLOCK_EVERY / 1000} s (${demo.appUrl}/block?ms=300 for one more), for the Event loop page`);
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
