import { startDemo } from './service.js';

// `npm start`: the demo service with wobserver, on http://127.0.0.1:4001 (WOBSERVER_HOST, WOBSERVER_PORT).
const port = Number(process.env.WOBSERVER_PORT ?? 4001);
const host = process.env.WOBSERVER_HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`wobserver demo: WOBSERVER_PORT must be a port number (0-65535), got ${JSON.stringify(process.env.WOBSERVER_PORT)}`);
  process.exit(2);
}
try {
  const demo = await startDemo({ host, port });
  console.log(`wobserver on ${demo.url} (API at ${demo.url}/api, metrics at ${demo.url}/metrics); the demo application on ${demo.appUrl}`);
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
