import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeOf, manualRegistry } from './helpers.js';

const ALPHA_1 = 1 - Math.exp(-5 / 60);

test('a meter counts marks and accepts a total that never goes down', () => {
  const { registry } = manualRegistry();
  try {
    const m = registry.meter({ name: 'gc_runs_total' });
    m.mark();
    m.mark(4);
    assert.equal(m.get().total, 5);
    m.set(12);
    assert.equal(m.get().total, 12);
    assert.equal(codeOf(() => m.set(11)), 'COUNTER_DECREASE');
    assert.equal(codeOf(() => m.mark(-1)), 'COUNTER_DECREASE');
    assert.equal(codeOf(() => m.mark(NaN)), 'INVALID_VALUE');
    assert.equal(codeOf(() => m.set(Infinity)), 'INVALID_VALUE');
    assert.equal(m.get().total, 12);
  } finally {
    registry.close();
  }
});

test("a meter's rates follow Coda Hale's exponentially weighted moving averages, ticked every 5 s", () => {
  const { registry, clock } = manualRegistry();
  try {
    const m = registry.meter({ name: 'events_total', labelNames: ['k'] });
    const h = m.labels({ k: 'x' });
    h.mark(50); // 10 per second over the first tick
    clock.now += 5000;
    registry.snapshot(); // reading ticks what is due
    assert.ok(Math.abs(m.get({ k: 'x' }).m1 - 10) < 1e-9, 'the first tick sets the rate');
    assert.ok(Math.abs(m.get({ k: 'x' }).m15 - 10) < 1e-9);
    clock.now += 5000; // no events in the second tick
    registry.snapshot();
    assert.ok(Math.abs(m.get({ k: 'x' }).m1 - 10 * (1 - ALPHA_1)) < 1e-9);
    // A late timer: three ticks' worth at once, the first with the marks.
    h.mark(25);
    clock.now += 15_000;
    registry.snapshot();
    let expected = 10 * (1 - ALPHA_1);
    expected += ALPHA_1 * (5 - expected);
    expected *= (1 - ALPHA_1) ** 2;
    assert.ok(Math.abs(m.get({ k: 'x' }).m1 - expected) < 1e-9);
    const m5 = m.get({ k: 'x' }).m5;
    assert.ok(m5 > m.get({ k: 'x' }).m1, 'the 5 minute rate decays more slowly');
  } finally {
    registry.close();
  }
});

test("a meter's interval record is the total at the end of the interval, with its rates", async () => {
  const { registry, clock } = manualRegistry({ period: 10_000 });
  try {
    const m = registry.meter({ name: 'bytes_total' });
    m.mark(100);
    clock.now += 10_000;
    await registry.closeInterval();
    m.mark(50);
    clock.now += 10_000;
    await registry.closeInterval();
    const records = registry.get('bytes_total', 'meter');
    assert.deepEqual(
      records.map((r) => r.value),
      [100, 150],
    );
    const last = records[1]!;
    assert.equal(last.type, 'meter');
    assert.ok(last.type === 'meter' && last.m1 > 0 && last.m5 > 0 && last.m15 > 0);
  } finally {
    registry.close();
  }
});
