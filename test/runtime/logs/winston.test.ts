import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogLine } from '../../../src/protocol/logs.js';
import { runFixture } from './child.js';

test('real winston through winstonTransport() is captured once with level, message and fields, beside its Console transport in either order, whose output is unchanged', async () => {
  const [on, off] = await Promise.all([runFixture('winston'), runFixture('winston', { LOGS_OFF: '1' })]);
  assert.equal(on.code, 0, on.stderr.toString());
  assert.ok(on.stdout.toString().includes('"password":"hunter2"'), 'the application\'s own output is its own');
  assert.ok(on.stdout.equals(off.stdout), `stdout differs:\n${on.stdout.toString()}\n---\n${off.stdout.toString()}`);
  const lines = on.result.lines as LogLine[];
  const got = lines.map((l) => [l.source, l.level, l.message, l.fields]);
  assert.deepEqual(got, [
    ['winston', 'info', 'hello winston', { service: 'api', user: 'ann', password: '[redacted]' }],
    ['stdout', null, 'plain write in the same tick', null],
    ['winston', 'warn', 'calling with Bearer [redacted] now', { service: 'api' }],
    ['winston', 'error', 'failed', { service: 'api', err: { name: 'Error', message: 'boom', stack: 'Error: boom\n    at here' } }],
    ['winston', 'debug', 'debug one', { service: 'api' }],
    // Coloured by the logger's format: the level is read uncoloured.
    ['winston', 'trace', 'silly one', null],
    ['winston', 'info', 'http one', null],
    // Below the transport's own level: not captured by it, so Console's line is kept as stdout's.
    ['stdout', null, 'info: info not captured by a warn transport', null],
    ['winston', 'error', 'error captured', null],
    ['console', 'info', 'console after', null],
    ['stdout', null, 'info: after remove', null],
  ]);
  assert.equal(on.result.emitWrapped, true);
  assert.equal(on.result.emitRestored, true, 'logger.remove() puts the logger\'s emit back');
});
