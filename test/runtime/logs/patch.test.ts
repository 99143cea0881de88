import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wrapMethod } from '../../../src/runtime/logs/patch.js';

class Base {
  write(x: string): string {
    return `base:${x}`;
  }
}

test('a method wrapped from the prototype is restored by removing the own property, so that the prototype\'s shows again', () => {
  const o = new Base();
  const seen: string[] = [];
  const w = wrapMethod(o, 'write', (orig, state) => function (this: unknown, x: unknown) {
    if (state.active) seen.push(String(x));
    return orig.call(this, x);
  });
  assert.ok(w);
  assert.equal(Object.hasOwn(o, 'write'), true);
  assert.equal(o.write('a'), 'base:a');
  w.restore();
  w.restore();
  assert.equal(Object.hasOwn(o, 'write'), false);
  assert.equal(o.write, Base.prototype.write);
  assert.deepEqual(seen, ['a']);
});

test('an own method is put back as it was; one someone wrapped after us keeps theirs, and ours under it only passes calls on', () => {
  const own = { log: (x: string): string => `own:${x}` };
  const original = own.log;
  const seen: string[] = [];
  const w = wrapMethod(own, 'log', (orig, state) => (x: unknown) => {
    if (state.active) seen.push(String(x));
    return orig(x);
  })!;
  w.restore();
  assert.equal(own.log, original);
  assert.deepEqual(Object.getOwnPropertyDescriptor(own, 'log'), { value: original, writable: true, enumerable: true, configurable: true });

  const w2 = wrapMethod(own, 'log', (orig, state) => (x: unknown) => {
    if (state.active) seen.push(String(x));
    return orig(x);
  })!;
  const ours = own.log;
  const theirs = (x: string): string => `theirs(${ours(x)})`;
  own.log = theirs;
  own.log('b');
  w2.restore();
  assert.equal(own.log, theirs);
  assert.equal(own.log('c'), 'theirs(own:c)');
  assert.deepEqual(seen, ['b']);
  assert.equal(w2.active, false);
});

test('a getter, a frozen object or a non-function is left alone', () => {
  const g = { get write() { return () => 1; } };
  assert.equal(wrapMethod(g, 'write', (o) => o), undefined);
  assert.equal(wrapMethod(Object.freeze({ write() {} }), 'write', (o) => o), undefined);
  assert.equal(wrapMethod({ write: 1 }, 'write', (o) => o), undefined);
});
