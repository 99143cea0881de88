import assert from 'node:assert/strict';
import { openSync, closeSync, existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openFiles, openFilesNow, parseLimit } from '../../src/runtime/limits.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max stack size            8388608              unlimited            bytes
Max open files            1024                 1048576              files
Max locked memory         8388608              8388608              bytes
`;

test('parseLimit reads the soft and hard limit of the named row, unlimited as null', () => {
  assert.deepEqual(parseLimit(LIMITS, 'Max open files'), { soft: 1024, hard: 1048576 });
  assert.deepEqual(parseLimit(LIMITS, 'Max stack size'), { soft: 8388608, hard: null });
  assert.deepEqual(parseLimit(LIMITS, 'Max cpu time'), { soft: null, hard: null });
});

test('parseLimit answers undefined for a missing or garbled row', () => {
  assert.equal(parseLimit(LIMITS, 'Max file locks'), undefined);
  assert.equal(parseLimit('Max open files   lots   1024   files\n', 'Max open files'), undefined);
  assert.equal(parseLimit('', 'Max open files'), undefined);
});

test('openFiles counts the descriptors of a /proc folder against its soft limit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wobserver-proc-'));
  try {
    await mkdir(join(dir, 'fd'));
    for (const fd of ['0', '1', '2', '7']) await writeFile(join(dir, 'fd', fd), '');
    await writeFile(join(dir, 'limits'), LIMITS);
    assert.deepEqual(openFiles(dir), { open: 4, soft: 1024, hard: 1048576 });
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('openFiles is null where there is no /proc to read', () => {
  assert.equal(openFiles(join(tmpdir(), 'wobserver-no-such-proc')), null);
});

test('openFiles of this process rises by one for a descriptor opened (Linux), and is null without /proc', () => {
  const before = openFiles();
  if (!existsSync('/proc/self/fd')) return assert.equal(before, null);
  assert.ok(before !== null && before.soft !== null && before.soft > 0, JSON.stringify(before));
  const fd = openSync(process.execPath, 'r');
  try {
    assert.equal(openFiles()?.open, before.open + 1);
  } finally {
    closeSync(fd);
  }
});

test('openFilesNow past its threshold answers the last count and reads the next one off the main thread (Linux)', async () => {
  if (!existsSync('/proc/self/fd')) return;
  // Threshold 0: every call past the first is answered from the last count.
  const first = openFilesNow(0);
  assert.equal(first.refreshed, undefined, 'the first call reads as asked');
  const fd = openSync(process.execPath, 'r');
  try {
    const second = openFilesNow(0);
    assert.equal(second.files?.open, first.files?.open, 'the last count, at once');
    assert.ok(second.refreshed, 'and a new count being read');
    await second.refreshed;
    const third = openFilesNow(0);
    assert.equal(third.files?.open, (first.files?.open ?? 0) + 1, 'the descriptor opened meanwhile is counted by the next call');
    await third.refreshed;
  } finally {
    closeSync(fd);
  }
});
