import type { Observer } from '../runtime/index.js';

type Log = (fields: Record<string, unknown>, message: string) => void;

/** The demo's loggers: real pino and winston (the project's dev dependencies), writing into wobserver's capture only. */
export interface DemoLogger {
  pino: { info: Log; warn: Log; error: Log; debug: Log };
  winston: { info(message: string, meta: Record<string, unknown>): void; error(message: string, meta: Record<string, unknown>): void };
}

const quiet: Log = () => undefined;

/**
 * pino with wobserver's destination (target null: captured, not printed) and
 * winston with wobserver's transport alone, so that the Logs page and the
 * request logger have structured lines of both while the demo's terminal
 * stays readable. Without them installed (a package install of wobserver,
 * not this repository), the demo logs nothing through them.
 */
export async function demoLogger(observer: Observer): Promise<DemoLogger> {
  const out: DemoLogger = { pino: { info: quiet, warn: quiet, error: quiet, debug: quiet }, winston: { info: () => undefined, error: () => undefined } };
  try {
    const { pino } = await import('pino');
    const logger = pino({ level: 'debug', base: { service: 'demo' } }, observer.logs.pinoDestination(null));
    out.pino = {
      info: (f, m) => logger.info(f, m),
      warn: (f, m) => logger.warn(f, m),
      error: (f, m) => logger.error(f, m),
      debug: (f, m) => logger.debug(f, m),
    };
  } catch {
    // pino is not installed here.
  }
  try {
    const winston = await import('winston');
    const logger = winston.createLogger({ level: 'info', defaultMeta: { service: 'demo-store' }, transports: [observer.logs.winstonTransport()] });
    out.winston = { info: (m, meta) => logger.info(m, meta), error: (m, meta) => logger.error(m, meta) };
  } catch {
    // winston is not installed here.
  }
  return out;
}
