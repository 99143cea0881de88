import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeOf, manualRegistry } from './helpers.js';

test('label sets that prom-client concatenates into one key stay distinct series', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['a', 'b'] });
    c.inc({ a: '1,b:2', b: '' });
    c.inc({ a: '1', b: '2' }, 2);
    c.inc({ a: '1,b=2', b: '' }, 3);
    c.inc({ a: '1\u0000', b: '2' }, 4);
    c.inc({ a: '1', b: '\u00002' }, 5);
    c.inc({ a: '', b: '1,b:2' }, 6);
    assert.equal(c.size, 6);
    assert.equal(c.get({ a: '1,b:2', b: '' }), 1);
    assert.equal(c.get({ a: '1', b: '2' }), 2);
    assert.equal(c.get({ a: '1,b=2', b: '' }), 3);
    assert.equal(c.get({ a: '1\u0000', b: '2' }), 4);
    assert.equal(c.get({ a: '1', b: '\u00002' }), 5);
    assert.equal(c.get({ a: '', b: '1,b:2' }), 6);
  } finally {
    registry.close();
  }
});

test('label names are matched by name, whatever the order the object lists them in', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['a', 'b', 'c'] });
    c.inc({ a: '1', b: '2', c: '3' });
    c.inc({ c: '3', b: '2', a: '1' });
    assert.equal(c.size, 1);
    assert.equal(c.get({ b: '2', a: '1', c: '3' }), 2);
  } finally {
    registry.close();
  }
});

test('numbers and booleans are label values by their string form', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['status', 'ok'] });
    c.inc({ status: 200, ok: true });
    c.inc({ status: '200', ok: 'true' });
    assert.equal(c.size, 1);
    assert.deepEqual(c.series(), [{ status: '200', ok: 'true' }]);
  } finally {
    registry.close();
  }
});

test('a label set that does not match the declaration is refused with LABELS_MISMATCH', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['a', 'b'] });
    c.inc({ a: '1', b: '2' });
    assert.equal(codeOf(() => c.inc({ a: '1' })), 'LABELS_MISMATCH');
    assert.equal(codeOf(() => c.inc({ a: '1', b: 'new', c: '3' })), 'LABELS_MISMATCH');
    assert.equal(codeOf(() => c.inc({ a: '1', c: '2' })), 'LABELS_MISMATCH');
    assert.equal(codeOf(() => c.inc()), 'LABELS_MISMATCH');
    assert.equal(codeOf(() => c.labels('1')), 'LABELS_MISMATCH');
    assert.match(
      (() => {
        try {
          c.inc({ a: '1', c: '2' });
        } catch (e) {
          return (e as Error).message;
        }
        return '';
      })(),
      /missing b; unknown c/,
    );
    const plain = registry.counter({ name: 'y_total' });
    assert.equal(codeOf(() => plain.inc({ a: '1' })), 'LABELS_MISMATCH');
    assert.equal(c.size, 1, 'no series was created by a refused update');
  } finally {
    registry.close();
  }
});

test('a label set is checked completely when it first creates its series; later updates match on the declared labels', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['a'] });
    assert.equal(codeOf(() => c.inc({ a: '1', extra: 'x' })), 'LABELS_MISMATCH');
    assert.equal(c.size, 0);
    c.inc({ a: '1' });
    c.inc({ a: '1', extra: 'x' } as never);
    assert.equal(c.get({ a: '1' }), 2);
    assert.equal(c.size, 1);
  } finally {
    registry.close();
  }
});

test('label values that are not strings, numbers or booleans are refused with INVALID_LABEL_VALUE', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['a'] });
    assert.equal(codeOf(() => c.inc({ a: {} as never })), 'INVALID_LABEL_VALUE');
    assert.equal(codeOf(() => c.inc({ a: null as never })), 'INVALID_LABEL_VALUE');
    assert.equal(codeOf(() => c.inc({ a: undefined as never })), 'LABELS_MISMATCH');
    assert.equal(c.size, 0);
  } finally {
    registry.close();
  }
});

test('lone surrogates in label values are normalised, so no two series render as the same bytes', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['a'] });
    c.inc({ a: 'x\uD800' });
    c.inc({ a: 'x\uDBFF' });
    assert.equal(c.size, 1);
    assert.deepEqual(c.series(), [{ a: 'x\uFFFD' }]);
    assert.equal(c.get({ a: 'x\uD800' }), 2);
  } finally {
    registry.close();
  }
});

test('past the cardinality limit new label sets go to one overflow series, and are counted', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['user'], maxSeries: 3 });
    for (let i = 0; i < 10; i++) c.inc({ user: `u${i}` });
    c.inc({ user: 'u0' }, 5);
    assert.equal(c.size, 4);
    assert.equal(c.overflowed, 7);
    const snap = c.snapshot();
    assert.equal(snap.overflow, 3);
    assert.deepEqual(Array.from(snap.values), [6, 1, 1, 7]);
    assert.deepEqual(c.series()[3], { wobserver_overflow: 'true' });
    const overflow = registry.metric('wobserver_series_overflow_total');
    assert.ok(overflow);
    assert.equal((overflow as typeof c).get({ metric: 'x_total' }), 7);
  } finally {
    registry.close();
  }
});

test('removing a series keeps every other series and every bound handle on its own value', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['k'] });
    const handles = ['a', 'b', 'c', 'd'].map((k) => c.labels({ k }));
    handles.forEach((h, i) => h.inc(i + 1));
    assert.equal(c.remove({ k: 'b' }), true);
    assert.equal(c.remove({ k: 'b' }), false);
    assert.equal(c.size, 3);
    assert.equal(c.get({ k: 'a' }), 1);
    assert.equal(c.get({ k: 'c' }), 3);
    assert.equal(c.get({ k: 'd' }), 4);
    assert.equal(c.get({ k: 'b' }), 0);
    handles[3]!.inc(10);
    assert.equal(c.get({ k: 'd' }), 14);
    // The removed series' handle re-creates it on its next update, from zero.
    handles[1]!.inc(7);
    assert.equal(c.get({ k: 'b' }), 7);
    assert.equal(c.size, 4);
  } finally {
    registry.close();
  }
});

test('a snapshot taken before a removal is not changed by it', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['k'] });
    for (const k of ['a', 'b', 'c']) c.inc({ k });
    const before = c.snapshot();
    c.remove({ k: 'a' });
    c.inc({ k: 'e' });
    assert.deepEqual(before.labelValues[0]!.slice(0, before.size), ['a', 'b', 'c']);
    assert.deepEqual(c.series(), [{ k: 'c' }, { k: 'b' }, { k: 'e' }]);
  } finally {
    registry.close();
  }
});

test('reset drops every series', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['k'] });
    const h = c.labels({ k: 'a' });
    h.inc(3);
    c.reset();
    assert.equal(c.size, 0);
    h.inc();
    assert.equal(c.get({ k: 'a' }), 1);
  } finally {
    registry.close();
  }
});

test('labels() takes values by name or by position, and returns the same handle each time', () => {
  const { registry } = manualRegistry();
  try {
    const c = registry.counter({ name: 'x_total', labelNames: ['a', 'b'] });
    const h1 = c.labels({ a: '1', b: '2' });
    const h2 = c.labels('1', '2');
    assert.equal(h1, h2);
    h1.inc();
    h2.inc(2);
    assert.equal(c.get({ a: '1', b: '2' }), 3);
    assert.deepEqual(h1.labels, { a: '1', b: '2' });
  } finally {
    registry.close();
  }
});

test('many labels (more than three) work through the generic path', () => {
  const { registry } = manualRegistry();
  try {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const c = registry.counter({ name: 'x_total', labelNames: names });
    c.inc({ a: 1, b: 2, c: 3, d: 4, e: 5 });
    c.inc({ a: 1, b: 2, c: 3, d: 4, e: 5 });
    c.inc({ a: 1, b: 2, c: 3, d: 4, e: 6 });
    assert.equal(c.size, 2);
    assert.equal(c.get({ a: '1', b: '2', c: '3', d: '4', e: '5' }), 2);
    assert.equal(codeOf(() => c.inc({ a: 1, b: 2, c: 3, d: 4 })), 'LABELS_MISMATCH');
  } finally {
    registry.close();
  }
});
