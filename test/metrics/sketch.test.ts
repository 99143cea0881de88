import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Sketch, SKETCH_MAX_BINS, SKETCH_RELATIVE_ACCURACY } from '../../src/metrics/index.js';

/** A seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkAccuracy(values: number[]): void {
  const sk = new Sketch();
  for (const v of values) sk.add(v);
  const sorted = [...values].sort((a, b) => a - b);
  for (const q of [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]) {
    const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
    const est = sk.quantile(q);
    assert.ok(
      Math.abs(est - exact) <= SKETCH_RELATIVE_ACCURACY * Math.abs(exact) + 1e-12,
      `q=${q}: estimate ${est}, exact ${exact}`,
    );
  }
  assert.equal(sk.count, values.length);
  assert.equal(sk.min, sorted[0]);
  assert.equal(sk.max, sorted[sorted.length - 1]);
}

test('quantiles are within 1% of the exact value for uniform, log-normal and heavy-tailed data', () => {
  const r = rng(42);
  checkAccuracy(Array.from({ length: 20_000 }, () => r() * 10));
  checkAccuracy(Array.from({ length: 20_000 }, () => Math.exp(3 * (r() + r() + r() - 1.5))));
  checkAccuracy(Array.from({ length: 20_000 }, () => 0.001 / Math.pow(r() + 1e-12, 1.5)));
});

test('negative values and zeros are ranked correctly', () => {
  const r = rng(7);
  checkAccuracy(Array.from({ length: 5000 }, (_, i) => (i % 10 === 0 ? 0 : (r() - 0.5) * 200)));
  checkAccuracy([-3, -2, -1, 0, 0, 1, 2, 3]);
});

test('a single value reads back exactly, and an empty sketch gives NaN', () => {
  const sk = new Sketch();
  assert.ok(Number.isNaN(sk.quantile(0.5)));
  sk.add(0.123);
  assert.equal(sk.quantile(0.99), 0.123);
  sk.clear();
  assert.equal(sk.count, 0);
  assert.ok(Number.isNaN(sk.quantile(0.5)));
});

test('memory stays bounded when values span more orders of magnitude than the bins cover', () => {
  const sk = new Sketch();
  // 1e-8 .. ~1e300 in 6160 steps: far more than the bins cover (about 19 decades), so the lowest bins collapse.
  const values: number[] = [];
  for (let i = 0; i <= 6159; i++) values.push(Math.pow(10, -8 + i * 0.05));
  for (const v of values) sk.add(v);
  // Upper quantiles keep their 1% accuracy ...
  for (const q of [0.99, 0.999, 1]) {
    const exact = values[Math.floor(q * (values.length - 1))]!;
    assert.ok(Math.abs(sk.quantile(q) - exact) <= SKETCH_RELATIVE_ACCURACY * exact, `q=${q}: ${sk.quantile(q)} vs ${exact}`);
  }
  // ... while everything below the 2048 kept bins reads as the lowest kept bin.
  // 64 bins per power of two.
  const keptDecades = (SKETCH_MAX_BINS / 64) * Math.log10(2);
  const lowestKept = Math.pow(10, 299.95 - keptDecades);
  assert.ok(sk.quantile(0.5) >= lowestKept / 2 && sk.quantile(0.5) <= lowestKept * 2, String(sk.quantile(0.5)));
  assert.equal(sk.count, values.length);
  assert.equal(sk.min, values[0]);
});
