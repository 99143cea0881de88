import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_ROUTE_LENGTH, PathNormalizer, isIdSegment, normalizePath } from '../../../src/runtime/traffic/index.js';

test('identifier segments: digits, UUIDs in either case, hex of 8 or more with a digit; words stay', () => {
  for (const id of ['0', '42', '2024', '0f8fad5b-d9cb-469f-a165-70867728950e', 'AB8FAD5B-D9CB-469F-A165-70867728950E', '507f1f77bcf86cd799439011', 'a1b2c3d4']) {
    assert.equal(isIdSegment(id), true, id);
  }
  for (const word of ['users', 'v1', 'cafebabe', 'deadbeefdeadbeef', 'a1b2c3', '0f8fad5b-d9cb', 'report.pdf', '']) {
    assert.equal(isIdSegment(word), false, word);
  }
});

test('normalizePath: ids become :id, the query and fragment go, an absolute target loses its origin, a long path is cut', () => {
  assert.equal(normalizePath('/users/42/orders/0f8fad5b-d9cb-469f-a165-70867728950e?x=1'), '/users/:id/orders/:id');
  assert.equal(normalizePath('/a/b#frag'), '/a/b');
  assert.equal(normalizePath('/'), '/');
  assert.equal(normalizePath(''), '/');
  assert.equal(normalizePath(undefined), '/');
  assert.equal(normalizePath('/items/7/'), '/items/:id/');
  assert.equal(normalizePath('http://example.com:8080/proxy/9?q'), '/proxy/:id');
  assert.equal(normalizePath('*'), '*');
  const long = normalizePath(`/${'x'.repeat(500)}`);
  assert.equal(long.length, MAX_ROUTE_LENGTH);
});

test('PathNormalizer gives what normalizePath gives, keyed without the query, and stays right after its memory starts afresh', () => {
  const n = new PathNormalizer();
  assert.equal(n.normalize('/users/1?page=2'), '/users/:id');
  assert.equal(n.normalize('/users/1?page=3'), '/users/:id');
  for (let i = 0; i < 3000; i++) assert.equal(n.normalize(`/scan/${i}/x${i}`), `/scan/:id/x${i}`);
  assert.equal(n.normalize('/users/1'), '/users/:id');
  assert.equal(n.normalize(undefined), '/');
});
