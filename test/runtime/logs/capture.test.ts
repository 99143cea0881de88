// The capture's own rules, in this process: only the winston source is on, so nothing here wraps the
// console or the test runner's stdout (the sources that do are tested in children).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOGS_DEFAULTS, LogCapture, LogsError } from '../../../src/runtime/logs/index.js';
import { createRedactor } from '../../../src/runtime/redact.js';

const LEVEL = Symbol.for('level');
const info = (level: string, message: unknown, rest: Record<string, unknown> = {}): Record<string | symbol, unknown> => ({ level, message, ...rest, [LEVEL]: level });

function capture(options: ConstructorParameters<typeof LogCapture>[1] = {}): LogCapture {
  return new LogCapture(createRedactor(), { sources: ['winston'], ...options });
}

test('secrets in a line\'s fields and text are redacted before the line is kept', () => {
  const logs = capture();
  logs.start();
  try {
    const t = logs.winstonTransport();
    t.log(info('info', 'connect postgres://app:s3cret@db/x with Bearer abcdefghijklmnop', { password: 'hunter2', user: { name: 'ann', apiKey: 'k-1', note: 'token=xyz123' } }));
    const [line] = logs.since(0).lines;
    assert.equal(line?.message, 'connect postgres://app:[redacted]@db/x with Bearer [redacted]');
    assert.deepEqual(line?.fields, { password: '[redacted]', user: { name: 'ann', apiKey: '[redacted]', note: 'token=[redacted]' } });
    assert.ok(!JSON.stringify(logs.since(0)).match(/hunter2|s3cret|abcdefghijklmnop|xyz123|k-1/));
  } finally {
    logs.close();
  }
});

test('fields that are not JSON (errors, bigints, cycles, dates, buffers) are kept as plain data', () => {
  const logs = capture();
  logs.start();
  try {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const err = Object.assign(new Error('bad'), { code: 'E_BAD' });
    err.stack = 'Error: bad\n    at x';
    logs.winstonTransport().log(info('error', 'x', { err, n: 10n, cyclic, at: new Date(0), buf: Buffer.from('abc'), fn: () => 1, nan: Number.NaN }));
    assert.deepEqual(logs.since(0).lines[0]?.fields, {
      err: { name: 'Error', message: 'bad', stack: 'Error: bad\n    at x', code: 'E_BAD' },
      n: '10n',
      cyclic: { a: 1, self: '[circular]' },
      at: '1970-01-01T00:00:00.000Z',
      buf: '[Buffer 3 bytes]',
      fn: '[function fn]',
      nan: 'NaN',
    });
  } finally {
    logs.close();
  }
});

test('a message longer than lineLength is cut and marked; bytes are the UTF-8 bytes of message and fields', () => {
  const logs = capture({ lineLength: 100 });
  logs.start();
  try {
    const t = logs.winstonTransport();
    t.log(info('info', 'é'.repeat(150)));
    t.log(info('info', 'short', { k: 'v' }));
    const [cut, short] = logs.since(0).lines;
    assert.equal(cut?.message, 'é'.repeat(100));
    assert.equal(cut?.truncated, true);
    assert.equal(short?.truncated, false);
    assert.equal(logs.stats().bytes, 200 + 'short'.length + '{"k":"v"}'.length);
    assert.equal(logs.stats().truncated, 1);
  } finally {
    logs.close();
  }
});

test('nothing is captured before start() or after close(), and close() is idempotent', () => {
  const logs = capture();
  const t = logs.winstonTransport();
  t.log(info('info', 'before'));
  logs.start();
  t.log(info('warn', 'during'));
  logs.close();
  logs.close();
  t.log(info('info', 'after'));
  assert.deepEqual(logs.since(0).lines.map((l) => [l.message, l.level, l.source]), [['during', 'warn', 'winston']]);
  assert.equal(logs.since(0).capturing, false);
  assert.deepEqual(logs.since(0).sources, ['winston']);
});

test('a line of a source not in the sources option is not captured', () => {
  const logs = new LogCapture(createRedactor(), { sources: ['pino'] });
  // Not started: pino's source would wrap stdout. wants() is false either way for winston.
  const t = logs.winstonTransport();
  t.log(info('info', 'x'));
  assert.equal(logs.stats().captured, 0);
});

test('bad options throw an OptionError naming the option; bad request logger and pino arguments throw a LogsError with a stable code', () => {
  const r = createRedactor();
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return `${(e as Error).constructor.name}:${(e as { code?: string }).code}:${(e as Error).message.split(' ')[1]}`;
    }
    return undefined;
  };
  assert.equal(code(() => new LogCapture(r, { lines: 0 })), 'OptionError:INVALID_OPTION:logs.lines');
  assert.equal(code(() => new LogCapture(r, { bytes: 10 })), 'OptionError:INVALID_OPTION:logs.bytes');
  assert.equal(code(() => new LogCapture(r, { sources: ['console', 'bunyan' as never] })), 'OptionError:INVALID_OPTION:logs.sources');
  assert.equal(code(() => new LogCapture(r, { mark: { header: 'bad header' } })), 'OptionError:INVALID_OPTION:logs.mark.header');
  assert.equal(code(() => new LogCapture(r, { requestLines: 1.5 })), 'OptionError:INVALID_OPTION:logs.requestLines');
  const logs = new LogCapture(r);
  assert.match(code(() => logs.watchRequests('', () => {})) ?? '', /^LogsError:INVALID_LOG_TOKEN/);
  assert.match(code(() => logs.watchRequests('a b', () => {})) ?? '', /^LogsError:INVALID_LOG_TOKEN/);
  assert.match(code(() => logs.watchRequests('ok', 'nope' as never)) ?? '', /^LogsError:INVALID_LOG_LISTENER/);
  assert.match(code(() => logs.pinoDestination(3 as never)) ?? '', /^LogsError:INVALID_LOG_DESTINATION/);
  assert.ok(new LogCapture(r, { mark: { param: false, cookie: false } }) instanceof LogCapture);
  assert.equal(LOGS_DEFAULTS.mark.param, 'wobserver_logger');
  const unwatch = logs.watchRequests('ok', () => {});
  assert.equal(logs.stats().requestWatchers, 1);
  logs.close();
  assert.equal(logs.stats().requestWatchers, 0, 'close() lets the request logger\'s watchers go');
  unwatch();
  const again = logs.watchRequests('ok', () => {});
  assert.equal(logs.stats().requestWatchers, 1, 'an unsubscribe from before close() does not count');
  again();
  assert.equal(logs.stats().requestWatchers, 0);
  assert.ok(new LogsError('INVALID_LOG_TOKEN', 'x') instanceof Error);
});

test('a pino destination given null writes nowhere, and captures nothing while pino is not a source', () => {
  const logs = new LogCapture(createRedactor(), { sources: ['winston'] });
  // pino is not a source: the line is not captured, and writing to nowhere does not throw.
  const d = logs.pinoDestination(null);
  assert.equal(d.write('{"level":30,"msg":"x"}\n'), true);
  assert.equal(logs.stats().captured, 0);
  let flushed = false;
  d.flush(() => (flushed = true));
  assert.equal(flushed, true);
});

test('follow() watches a token for a lease renewed by each call, at most 20 tokens (the least recently asked let go), and answers the mark and the requests', async () => {
  const logs = capture({ mark: { cookie: false } });
  logs.start();
  try {
    const first = logs.follow('t-0', 60_000);
    assert.deepEqual(first, { token: 't-0', mark: { param: 'wobserver_logger', header: 'x-wobserver-logger', cookie: null }, capturing: true, requests: [] });
    for (let i = 1; i < 20; i++) logs.follow(`t-${i}`, 60_000);
    assert.equal(logs.stats().requestWatchers, 20);
    logs.follow('t-0', 60_000); // asked again: now the most recent
    logs.follow('t-20', 60_000); // the 21st: t-1, the least recently asked, goes
    assert.equal(logs.stats().requestWatchers, 20);
    logs.follow('short', 20);
    assert.equal(logs.stats().requestWatchers, 20, 'still 20: another one went for it');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(logs.stats().requestWatchers, 19, 'its lease ran out');
    assert.throws(() => logs.follow('has space'), (e: unknown) => e instanceof LogsError && e.code === 'INVALID_LOG_TOKEN');
  } finally {
    logs.close();
  }
  assert.equal(logs.stats().requestWatchers, 0, 'close() lets every followed token go');
});
