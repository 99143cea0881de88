import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogLine } from '../../../src/protocol/logs.js';
import { runFixture } from './child.js';

const EARLY = '{"level":30,"msg":"early logger"}\n';

/** Stdout without the line of the logger created before start(): its own asynchronous destination may write it at another moment. */
const withoutEarly = (b: Buffer): string => b.toString().replace(EARLY, '');

test('real pino through pinoDestination() is captured with level, msg and fields, and its lines still reach stdout and stderr unchanged', async () => {
  const [on, off] = await Promise.all([runFixture('pino'), runFixture('pino', { LOGS_OFF: '1' })]);
  assert.equal(on.code, 0, on.stderr.toString());
  assert.equal(withoutEarly(on.stdout), withoutEarly(off.stdout));
  assert.ok(on.stdout.toString().includes('"msg":"hello pino"') && on.stdout.toString().includes('"password":"hunter2"'), 'the application\'s own output is its own, unredacted');
  assert.ok(on.stderr.equals(off.stderr), `stderr: ${on.stderr.toString()} vs ${off.stderr.toString()}`);
  assert.equal(on.stderr.toString(), '{"level":40,"msg":"on stderr"}\n');

  const lines = on.result.lines as LogLine[];
  const by = (m: string): LogLine => {
    const l = lines.find((x) => x.message === m);
    assert.ok(l, `a line "${m}" in ${JSON.stringify(lines.map((x) => x.message))}`);
    return l;
  };
  const hello = by('hello pino');
  assert.equal(hello.source, 'pino');
  assert.equal(hello.level, 'info');
  assert.deepEqual(hello.fields, { user: 'ann', password: '[redacted]', nested: { apiKey: '[redacted]', ok: true } });
  const child = by('calling with Bearer [redacted] now');
  assert.equal(child.level, 'warn');
  assert.deepEqual(child.fields, { reqId: 7 }, 'a child logger\'s bindings are fields');
  const boom = by('boom');
  assert.equal(boom.level, 'error');
  assert.deepEqual(boom.fields, { err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at here' } });
  assert.equal(by('fatal one').level, 'fatal');
  assert.equal(by('a trace').level, 'trace');
  assert.equal(by('timed').time, 1_700_000_000_000, 'pino\'s time is the line\'s');
  assert.equal(by('on stderr').level, 'warn');
  assert.ok(!lines.some((l) => l.message.startsWith('below the level')));
  assert.deepEqual(lines.slice(-3).map((l) => [l.level, l.message]), [['info', 'one'], ['warn', 'two'], [null, 'not json']], 'a capture-only destination: each line of a chunk');
  assert.equal(lines.filter((l) => l.source === 'pino').length, 11, 'each pino line once (none again from stdout)');
  assert.ok(!lines.some((l) => l.source === 'stdout'), JSON.stringify(lines.filter((l) => l.source === 'stdout')));
});

test('a pino logger created after start() without a destination writes through process.stdout and is captured; one created before is not, and its line still reaches stdout', async () => {
  const on = await runFixture('pino');
  assert.equal(on.result.usedStdout, true, 'pino chose process.stdout');
  const lines = on.result.lines as LogLine[];
  const late = lines.find((l) => l.message === 'default destination');
  assert.deepEqual(late && [late.source, late.level, late.fields], ['pino', 'info', { token: '[redacted]' }]);
  assert.ok(!lines.some((l) => l.message === 'early logger'), 'pino writes to file descriptor 1 itself: documented, not captured');
  assert.equal(on.stdout.toString().split(EARLY).length, 2, 'the early logger\'s line reached stdout once');
});
