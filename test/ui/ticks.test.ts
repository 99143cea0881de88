import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axisTicks, roundStep } from '../../src/ui/components/ticks.js';

const MiB = 1024 * 1024;

test('a bytes axis ticks at round binary values in one unit', () => {
  // The values that once gave 23.8 / 47.7 / 71.5 MiB.
  const a = axisTicks(0, 75 * MiB, 'bytes', 5);
  assert.equal(a.unit, 'MiB');
  assert.deepEqual(a.values.map(a.label), ['0', '16', '32', '48', '64', '80']);
});

test('a bytes axis picks its unit by its top and keeps binary fractions', () => {
  const a = axisTicks(0, 1.4 * 1024 * MiB, 'bytes', 5);
  assert.equal(a.unit, 'GiB');
  assert.deepEqual(a.values.map(a.label), ['0', '0.5', '1', '1.5']);
  const small = axisTicks(0, 900, 'bytes', 4);
  assert.deepEqual(small.values, [0, 256, 512, 768, 1024]);
  assert.equal(small.unit, 'KiB');
  assert.deepEqual(small.values.map(small.label), ['0', '0.25', '0.5', '0.75', '1']);
  assert.equal(axisTicks(0, 700, 'bytes', 5).unit, 'B');
});

test('a percent axis ticks at 0 / 25 / 50 / 75 / 100', () => {
  const a = axisTicks(0, 97, 'percent', 5);
  assert.deepEqual(a.values, [0, 25, 50, 75, 100]);
  assert.equal(a.unit, '%');
  assert.deepEqual(axisTicks(0, 3.2, 'percent', 4).values, [0, 1, 2, 3, 4]);
  assert.deepEqual(axisTicks(0, 0.4, 'percent', 4).values, [0, 0.1, 0.2, 0.3, 0.4]);
});

test('a duration axis ticks at 1-2-5 steps and turns to seconds for long ones', () => {
  assert.deepEqual(axisTicks(0, 13, 'ms', 5).values, [0, 5, 10, 15]);
  assert.deepEqual(axisTicks(0, 0.7, 'ms', 4).values, [0, 0.2, 0.4, 0.6, 0.8]);
  const long = axisTicks(0, 4200, 'ms', 4);
  assert.equal(long.unit, 's');
  assert.deepEqual(long.values.map(long.label), ['0', '2', '4', '6']);
});

test('the axis covers every value: the top tick is at or above the largest, the bottom at or below 0', () => {
  for (const [min, max] of [[0, 1], [0, 7.3], [-3, 12], [0, 123_456_789], [5, 5]] as const) {
    for (const kind of ['bytes', 'percent', 'ms', 'count'] as const) {
      const v = axisTicks(min, max, kind, 5).values;
      assert.ok(v[0]! <= Math.min(0, min), `${kind} ${min}..${max}: ${v}`);
      assert.ok(v[v.length - 1]! >= max, `${kind} ${min}..${max}: ${v}`);
      assert.ok(v.length >= 2 && v.length <= 8, `${kind} ${min}..${max}: ${v.length} ticks`);
    }
  }
});

test('round steps: powers of two for bytes, whole numbers for counts', () => {
  assert.equal(roundStep(15 * MiB, 'bytes'), 16 * MiB);
  assert.equal(roundStep(16 * MiB, 'bytes'), 16 * MiB);
  assert.equal(roundStep(0.3, 'count'), 1);
  assert.equal(roundStep(30, 'count'), 50);
  assert.equal(roundStep(22, 'percent'), 25);
});
