import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogLine } from '../../../src/protocol/logs.js';
import { runFixture } from './child.js';

const pick = (l: LogLine): [string, string | null, string] => [l.source, l.level, l.message];

test('console.* and writes to stdout and stderr are captured once each, with their level, and still reach the real stdout and stderr byte for byte', async () => {
  const [on, off] = await Promise.all([runFixture('console-streams'), runFixture('console-streams', { LOGS_OFF: '1' })]);
  assert.equal(on.code, 0, on.stderr.toString());
  assert.ok(on.stdout.length > 300, 'the fixture wrote its lines');
  assert.ok(on.stdout.equals(off.stdout), `stdout differs:\n${on.stdout.toString()}\n---\n${off.stdout.toString()}`);
  assert.ok(on.stderr.equals(off.stderr), `stderr differs:\n${on.stderr.toString()}\n---\n${off.stderr.toString()}`);
  assert.equal(on.result.written, true, 'write() returns what the stream returned');

  const lines = on.result.during as LogLine[];
  const got = lines.map(pick);
  const table = got.find((g) => g[2].includes('(index)'));
  assert.deepEqual(got.slice(0, 5), [
    ['console', 'info', 'hello world { n: 1 }'],
    ['console', 'info', 'info line'],
    ['console', 'debug', 'debug line'],
    ['console', 'warn', 'warn line'],
    ['console', 'error', 'error line'],
  ]);
  const trace = lines[5]!;
  assert.equal(trace.level, 'trace');
  assert.equal(trace.source, 'console');
  assert.match(trace.message, /^Trace: trace line\n {4}at /);
  assert.deepEqual(table?.slice(0, 2), ['console', 'info'], 'console.table logs through console.log: one line');
  const rest = got.slice(7);
  assert.deepEqual(rest.slice(0, 6), [
    ['stdout', null, 'partial line'],
    ['stdout', null, 'second line'],
    ['stdout', null, 'third ends'],
    ['stdout', null, 'café'],
    ['stdout', null, 'hi there in hex'],
    ['stdout', null, 'x'.repeat(100)],
  ]);
  assert.equal(lines[12]!.truncated, true, 'a line longer than lineLength is cut and marked');
  assert.deepEqual(rest.slice(6), [
    ['stderr', null, 'to stderr'],
    ['console', 'info', 'calling with Bearer [redacted] now'],
    ['console', 'error', 'login password=[redacted] failed'],
    ['console', 'info', 'red text'],
    ['stdout', null, 'return value kept'],
  ]);
  // Nothing twice: every line above is the only one of its text.
  assert.equal(new Set(got.map((g) => g[2])).size, got.length);
  assert.equal(on.result.stats.captured, lines.length);
  assert.equal(on.result.stats.errors, 0);
});

test('a capture that fails inside (its redaction throws) throws nothing into console.* or write(), whose output still goes out, and counts the lines it lost', async () => {
  const on = await runFixture('console-streams');
  assert.equal(on.result.threw, false);
  assert.equal(on.result.brokenErrors, 3);
  assert.ok(on.stdout.toString().endsWith('still printed\nalso printed\n'), on.stdout.toString().slice(-100));
  assert.ok(on.stderr.toString().endsWith('and on stderr\n'));
});

test('close() restores console and process.stdout.write exactly, and leaves in place a wrapper someone added after start()', async () => {
  const r = (await runFixture('console-streams')).result;
  assert.deepEqual(r.restored, { log: true, warn: true, error: true, ownStdoutWrite: true, stdoutWrite: true });
  const all = (r.lines as LogLine[]).map((l) => l.message);
  assert.ok(!all.includes('after close'), 'nothing is captured after close()');
  assert.ok(all.includes('wrapped twice'), 'captured through their wrapper while started');
  assert.equal(all.filter((m) => m === 'wrapped twice').length, 1);
  assert.equal(r.wrappedAfter.theirsKept, true, 'their console.log stays');
  assert.equal(r.wrappedAfter.theirWriteKept, true, 'their stdout.write stays');
  assert.deepEqual(r.wrappedAfter.seenByTheirs, ['wrapped twice', 'theirs after close'], 'their wrapper still runs');
  assert.equal(r.wrappedAfter.capturedAfterClose, 0, 'ours under theirs stopped capturing');
});
