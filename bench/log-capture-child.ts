// Runs with stdout and stderr on /dev/null (as a service logging to a file would): the cost of
// a log line with wobserver's capture on against the same line with it off, for console.log,
// pino and winston, in rounds interleaved after warm-ups. Prints the results as JSON on fd 3.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { compareOps } from './harness.js';
import { LogCapture, createRedactor } from '../src/runtime/index.js';

const require = createRequire(import.meta.url);
const pino = require('pino') as (o: object, d?: unknown) => { info(o: object, m: string): void };
const winston = require('winston') as {
  createLogger(o: object): { info(m: string, meta: object): void };
  transports: { Console: new () => unknown };
};

const N = 20_000;
const logs = new LogCapture(createRedactor(), {});
const fields = (i: number) => ({ method: 'GET', url: `/users/${i}`, status: 200, ms: 1.25, token: 'abc' });
/**
 * `on` with capture on (ours) against `off` with it off (theirs), 9 interleaved rounds of N lines:
 * start() and close() around each round of ours.
 */
const pair = (name: string, on: (i: number) => void, off: (i: number) => void = on) =>
  compareOps({
    name,
    target: 0.5,
    rounds: 9,
    ours: {
      ops: N,
      run: () => {
        logs.start();
        for (let i = 0; i < N; i++) on(i);
        logs.close();
      },
    },
    theirs: {
      ops: N,
      run: () => {
        for (let i = 0; i < N; i++) off(i);
      },
    },
  });

// pino writes to fd 1 itself (sync, as with pino.destination({ sync: true })); ours goes through wobserver's destination to stdout.
const bare = pino({}, (pino as unknown as { destination(o: object): unknown }).destination({ dest: 1, sync: true }));
const captured = pino({}, logs.pinoDestination());
const plain = winston.createLogger({ transports: [new winston.transports.Console()] });
const both = winston.createLogger({ transports: [new winston.transports.Console(), logs.winstonTransport()] });
const results = [
  pair('console.log with fields, capture on vs off', (i) => console.log('request served', fields(i))),
  pair(
    "pino line, through wobserver's destination vs pino.destination(1)",
    (i) => captured.info(fields(i), 'request served'),
    (i) => bare.info(fields(i), 'request served'),
  ),
  pair(
    "winston line, Console + wobserver's transport vs Console alone",
    (i) => both.info('request served', fields(i)),
    (i) => plain.info('request served', fields(i)),
  ),
];
writeSync(3, JSON.stringify(results));
