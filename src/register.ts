// `node --import wobserver/register app.js`: wobserver inside any Node 20+
// application, ESM or CommonJS, configured by WOBSERVER_* variables (or
// WOBSERVER_CONFIG), without a line of its code changed. It never stops the
// application: a bad configuration is reported on stderr and wobserver stays off;
// its server does not keep the process alive.
import { ConfigError, startFromConfig } from './config/index.js';

try {
  const running = await startFromConfig();
  running.server.server.unref();
  process.stderr.write(`wobserver: ${running.url} (pid ${process.pid})\n`);
} catch (err) {
  const message = err instanceof ConfigError ? err.message : `wobserver: not started: ${(err as Error).message}`;
  process.stderr.write(`${message}\n`);
}
