// `node --import wobserver/register app.js`: wobserver inside any Node 20+
// application, ESM or CommonJS, configured by WOBSERVER_* variables (or
// WOBSERVER_CONFIG), without a line of its code changed. It never stops the
// application: a bad configuration is reported on stderr and wobserver stays off;
// its server does not keep the process alive.
import { ConfigError, startFromConfig } from './config/index.js';

/** Where `wobserver attach` reads the outcome: the URL, or why it did not start. */
const OUTCOME = Symbol.for('wobserver.register');

try {
  const running = await startFromConfig();
  running.server.server.unref();
  // Held here for the life of the process: an unreferenced server whose handle is unref'd could be collected.
  (globalThis as Record<symbol, unknown>)[OUTCOME] = { url: running.url, running };
  process.stderr.write(`wobserver: ${running.url} (pid ${process.pid})\n`);
} catch (err) {
  const message = err instanceof ConfigError ? err.message : `wobserver: not started: ${(err as Error).message}`;
  (globalThis as Record<symbol, unknown>)[OUTCOME] = { error: message };
  process.stderr.write(`${message}\n`);
}
