import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { nextTurn, yieldIfDue } from '../../src/metrics/yield.js';

test('yieldIfDue keeps working while its slice lasts: same start, no turn of the loop', async () => {
  let turned = false;
  setImmediate(() => (turned = true));
  const start = performance.now();
  assert.equal(await yieldIfDue(start, 60_000), start);
  assert.equal(turned, false);
});

test('yieldIfDue yields once the slice has run, and starts a new slice', async () => {
  let turned = false;
  setImmediate(() => (turned = true));
  const start = performance.now() - 10;
  const next = await yieldIfDue(start, 5);
  assert.equal(turned, true);
  assert.ok(next > start + 10, 'the new slice starts after the yield');
});

test('nextTurn from an I/O callback resumes after the check phase of that turn, not inside it', async () => {
  // What setImmediate would get wrong: resumed from the poll phase, it runs in the same turn's check phase.
  await readFile(new URL(import.meta.url));
  const order: string[] = [];
  const turn = nextTurn().then(() => order.push('resumed'));
  setImmediate(() => order.push('check phase'));
  await turn;
  assert.deepEqual(order, ['check phase', 'resumed'], 'a yield with setImmediate would resume first, in this same check phase');
});
