import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytes, date, plain, words } from '../../src/ui/format.js';

test('words() turns field names into headings', () => {
  assert.equal(words('bytesRead'), 'Bytes read');
  assert.equal(words('recvBufferSize'), 'Recv buffer size');
  assert.equal(words('firesInMs'), 'Fires in (ms)');
  assert.equal(words('ageMs'), 'Age (ms)');
  assert.equal(words('pid'), 'PID');
  assert.equal(words('heap_used'), 'Heap used');
  assert.equal(words('remoteIP'), 'Remote IP');
  assert.equal(words('httpVersion'), 'HTTP version');
});

test('plain() writes identifiers without a thousands separator; date() writes a local date', () => {
  assert.equal(plain(123456), '123456');
  assert.equal(plain(undefined), '–');
  assert.match(date(Date.UTC(2026, 11, 2, 12, 0, 0)), /^2026-12-0[23] \d\d:\d\d:00$/);
  assert.equal(date(Number.NaN), '–');
  assert.equal(bytes(1536), '1.5 KiB');
});
