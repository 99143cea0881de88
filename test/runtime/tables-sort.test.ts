import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonical, natural } from '../../src/runtime/table-sort.js';
import { TableRegistry } from '../../src/runtime/tables.js';

const keys = (p: { entries: { key: unknown }[] }): unknown[] => p.entries.map((e) => e.key);

function people(): TableRegistry {
  const tables = new TableRegistry();
  tables.register('people', new Map<string, object>([
    ['p1', { name: 'Cleo', age: 41, city: 'Oslo' }],
    ['p2', { name: 'Ann', age: 29, city: 'Lima' }],
    ['p3', { name: 'Bob', age: 35 }],
    ['p4', { name: 'Dag', age: 52, city: 'Bern' }],
  ]));
  return tables;
}

test('sorting by an object field orders by that field, and descending gives the reverse order', async () => {
  const tables = people();
  const asc = keys(await tables.page('people', { sort: 'value.age' }));
  const desc = keys(await tables.page('people', { sort: 'value.age', order: 'desc' }));
  assert.deepEqual(asc, ['p2', 'p3', 'p1', 'p4']);
  assert.deepEqual(desc, [...asc].reverse());
  assert.deepEqual(keys(await tables.page('people', { sort: 'value.name' })), ['p2', 'p3', 'p1', 'p4']);
  assert.deepEqual(keys(await tables.page('people', { sort: 'value.age', page: 1, pageSize: 3 })), ['p4'], 'a later page of a field sort');
});

test('entries without the field come last, in ascending and in descending order', async () => {
  const tables = people();
  assert.deepEqual(keys(await tables.page('people', { sort: 'value.city' })), ['p4', 'p2', 'p1', 'p3']);
  assert.deepEqual(keys(await tables.page('people', { sort: 'value.city', order: 'desc' })), ['p1', 'p2', 'p4', 'p3']);
  assert.deepEqual(keys(await tables.page('people', { sort: 'value.nobody' })), ['p1', 'p2', 'p3', 'p4'], 'a field no entry has keeps the table\'s order');
});

test('mixed types sort numbers, then strings, booleans, objects, null, and missing last; descending reverses all but missing', async () => {
  const tables = new TableRegistry();
  const values: [string, unknown][] = [['str', { v: 'b' }], ['none', {}], ['obj', { v: { x: 1 } }], ['num', { v: 10 }], ['nul', { v: null }], ['bool', { v: true }], ['small', { v: -3 }], ['str2', { v: 'a' }], ['undef', { v: undefined }], ['big', { v: 5n }]];
  tables.register('mixed', new Map(values));
  assert.deepEqual(keys(await tables.page('mixed', { sort: 'value.v' })), ['small', 'big', 'num', 'str2', 'str', 'bool', 'obj', 'nul', 'none', 'undef']);
  assert.deepEqual(keys(await tables.page('mixed', { sort: 'value.v', order: 'desc' })), ['nul', 'obj', 'bool', 'str', 'str2', 'num', 'big', 'small', 'none', 'undef']);
  tables.register('plain', ['x', 3, null, { a: 1 }, false, 1]);
  assert.deepEqual((await tables.page('plain', { sort: 'value' })).entries.map((e) => e.value), [1, 3, 'x', false, { a: 1 }, null]);
});

test('sorting by value orders objects by their canonical JSON (keys sorted), so ascending and descending differ', async () => {
  const tables = new TableRegistry();
  tables.register('objs', new Map([['k1', { b: 2, a: 'm' }], ['k2', { a: 'c', b: 9 }], ['k3', { b: 1, a: 'x' }]]));
  const asc = keys(await tables.page('objs', { sort: 'value' }));
  assert.deepEqual(asc, ['k2', 'k1', 'k3'], 'by "a" first, as the keys sort');
  assert.deepEqual(keys(await tables.page('objs', { sort: 'value', order: 'desc' })), ['k3', 'k1', 'k2']);
  assert.equal(canonical({ b: 1, a: [2, 'x'] }, () => false), canonical({ a: [2, 'x'], b: 1 }, () => false), 'the order of keys does not matter');
  assert.equal(canonical({ a: 1, token: 'zzz' }, (k) => k === 'token'), '{"a":1,"token":"[redacted]"}');
});

test('keys and strings sort in natural order: item2 before item10, and ties keep the table\'s order', async () => {
  const tables = new TableRegistry();
  tables.register('items', new Map([['item10', 1], ['item2', 1], ['item1', 1], ['item02', 1], ['Item3', 1], ['item', 1]]));
  assert.deepEqual(keys(await tables.page('items', { sort: 'key' })), ['Item3', 'item', 'item1', 'item2', 'item02', 'item10']);
  assert.deepEqual(keys(await tables.page('items', { sort: 'key', order: 'desc' })), ['item10', 'item02', 'item2', 'item1', 'item', 'Item3']);
  assert.deepEqual(keys(await tables.page('items', { sort: 'value' })), ['item10', 'item2', 'item1', 'item02', 'Item3', 'item'], 'equal values: the table\'s order');
  assert.deepEqual(keys(await tables.page('items', { sort: 'value', order: 'desc' })), ['item10', 'item2', 'item1', 'item02', 'Item3', 'item'], 'in both directions');
  assert.ok(natural('a9b', 'a10b') < 0 && natural('a10b', 'a9b') > 0 && natural('x', 'x') === 0);
  assert.ok(natural('v1.2.10', 'v1.2.9') > 0);
});

test('a bad field name is refused as TABLE_QUERY_INVALID, and so is a field that looks secret', async () => {
  const tables = people();
  for (const sort of ['value.', 'value.a b', 'value.a.b', `value.${'x'.repeat(101)}`, 'value.<img>', 'values.age', 'age']) {
    await assert.rejects(tables.page('people', { sort: sort as never }), { code: 'TABLE_QUERY_INVALID', message: /sort/ }, sort);
  }
  await assert.rejects(tables.page('people', { sort: 'value.password' }), { code: 'TABLE_QUERY_INVALID', message: /looks secret/ });
});

test('a page names the fields of object values as columns: the union of the first entries\' keys, natural order, capped at 12', async () => {
  const tables = people();
  assert.deepEqual((await tables.page('people', { pageSize: 1, page: 2 })).fields, ['age', 'city', 'name']);
  const wide = new Map<number, Record<string, unknown>>();
  for (let i = 0; i < 100; i++) wide.set(i, { [`f${20 - (i % 20)}`]: i, id: i, apiKey: 'k', 'has space': 1, getter: 1 });
  Object.defineProperty(wide.get(0), 'lazy', { enumerable: true, get: () => { throw new Error('a getter was called'); } });
  tables.register('wide', wide);
  const page = await tables.page('wide', { sort: 'value.lazy' });
  assert.deepEqual(page.fields, ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10', 'f11', 'f12']);
  assert.equal(page.fields.includes('apiKey'), false, 'a secret field is no column');
  tables.register('scalars', [1, 2, 3]);
  assert.deepEqual((await tables.page('scalars')).fields, []);
});

test('a value hidden because its key looks secret sorts as shown, telling nothing by its place', async () => {
  const tables = new TableRegistry();
  tables.register('config', { aPassword: 'aaa', b: 'zzz', c: 'mmm', dSecret: { rank: 0 }, e: { rank: 5 } });
  assert.deepEqual(keys(await tables.page('config', { sort: 'value' })), ['aPassword', 'dSecret', 'c', 'b', 'e'], 'hidden values sort as the text "[redacted]" they show, among strings');
  assert.deepEqual(keys(await tables.page('config', { sort: 'value.rank' })), ['e', 'aPassword', 'b', 'c', 'dSecret']);
});
