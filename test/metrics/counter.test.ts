import assert from 'node:assert/strict';
import { test } from 'node:test';
import { T0, codeOf, manualRegistry } from './helpers.js';

test('a counter adds 1 by default and any finite non-negative amount', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'jobs_total', help: 'Jobs' });
    c.inc();
    c.inc(2.5);
    c.inc(0);
    assert.equal(c.get(), 3.5);
    const l = registry.counter({ name: 'req_total', labelNames: ['m'] });
    l.inc({ m: 'GET' });
    l.inc({ m: 'GET' }, 4);
    assert.equal(l.get({ m: 'GET' }), 5);
    assert.equal(l.get({ m: 'POST' }), 0);
  } finally {
    registry.close();
  }
});

test('a counter refuses to go down (COUNTER_DECREASE) and refuses NaN, infinities and non-numbers (INVALID_VALUE)', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'jobs_total', labelNames: ['k'] });
    const h = c.labels({ k: 'a' });
    assert.equal(codeOf(() => c.inc({ k: 'a' }, -1)), 'COUNTER_DECREASE');
    assert.equal(codeOf(() => h.inc(-0.5)), 'COUNTER_DECREASE');
    for (const bad of [NaN, Infinity, -Infinity, '1', null]) {
      assert.equal(codeOf(() => c.inc({ k: 'a' }, bad as never)), bad === -Infinity ? 'COUNTER_DECREASE' : 'INVALID_VALUE');
      assert.equal(codeOf(() => h.inc(bad as never)), bad === -Infinity ? 'COUNTER_DECREASE' : 'INVALID_VALUE');
    }
    assert.equal(c.get({ k: 'a' }), 0, 'a refused update changes nothing');
  } finally {
    registry.close();
  }
});

test('a bound handle updates the same series as the labelled call', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'req_total', labelNames: ['method', 'route', 'status'] });
    const h = c.labels({ method: 'GET', route: '/', status: '200' });
    for (let i = 0; i < 1000; i++) h.inc();
    c.inc({ method: 'GET', route: '/', status: '200' }, 10);
    assert.equal(h.get(), 1010);
    assert.equal(c.size, 1);
  } finally {
    registry.close();
  }
});

test('an unlabelled counter is exposed at zero before its first update', () => {
  const { registry } = manualRegistry();
  try {
    registry.counter({ name: 'never_total' });
    const snap = registry.snapshot();
    const fam = snap.families.find((f) => f.name === 'never_total');
    assert.equal(fam?.size, 1);
    assert.equal(fam?.type === 'counter' && fam.values[0], 0);
  } finally {
    registry.close();
  }
});

test("a counter's interval record is the sum of the increments inside the interval", async () => {
  const { registry, clock } = manualRegistry({ period: 10_000 });
  try {
    const c = registry.counter({ name: 'req_total', labelNames: ['m'] });
    c.inc({ m: 'a' }, 2);
    c.inc({ m: 'a' }, 3);
    clock.now += 10_000;
    await registry.closeInterval();
    c.inc({ m: 'a' }, 1);
    c.inc({ m: 'b' }, 7);
    clock.now += 10_000;
    await registry.closeInterval();
    clock.now += 10_000;
    await registry.closeInterval();
    assert.deepEqual(
      registry.get('req_total', 'counter').map((r) => [r.timestamp - T0, r.labels.m, r.value]),
      [
        [0, 'a', 5],
        [10_000, 'a', 1],
        [10_000, 'b', 7],
        [20_000, 'a', 0],
        [20_000, 'b', 0],
      ],
    );
    assert.equal(c.get({ m: 'a' }), 6, 'Prometheus still sees the cumulative value');
  } finally {
    registry.close();
  }
});
