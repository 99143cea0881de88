import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TableRegistry } from '../../src/runtime/tables.js';

test('a registered Map, Set, array, object and custom source are listed with kind, size, memory estimate and owner', async () => {
  const tables = new TableRegistry();
  tables.register('users', new Map([['a', { name: 'Ann' }], ['b', { name: 'Bob' }]]), { description: 'by id' });
  tables.register('tags', new Set(['x', 'y', 'z']));
  tables.register('queue', [1, 2, 3, 4]);
  tables.register('config', { a: 1, b: 'two' });
  const lru = new Map([['k', 'v']]);
  tables.register('lru', { kind: 'LRU', size: () => lru.size, entries: () => lru.entries() });
  const list = tables.list();
  assert.deepEqual(list.map((t) => [t.name, t.kind, t.size]), [
    ['users', 'Map', 2],
    ['tags', 'Set', 3],
    ['queue', 'Array', 4],
    ['config', 'Object', 2],
    ['lru', 'LRU', 1],
  ]);
  assert.ok(list.every((t) => t.estimatedBytes > 0));
  assert.ok(list[0]!.owner.endsWith('tables.test.ts'), list[0]!.owner);
  assert.equal(list[0]!.description, 'by id');
});

test('pages come in the table\'s order, or sorted by key or value, and search matches keys and values', async () => {
  const tables = new TableRegistry();
  const m = new Map<string, number>();
  for (let i = 0; i < 100; i++) m.set(`key${String(i).padStart(3, '0')}`, 1000 - i);
  tables.register('t', m);
  const p0 = await tables.page('t', { pageSize: 3 });
  assert.deepEqual(p0.entries.map((e) => e.key), ['key000', 'key001', 'key002']);
  assert.equal(p0.size, 100);
  assert.equal(p0.matched, 100);
  const p2 = await tables.page('t', { page: 2, pageSize: 3 });
  assert.deepEqual(p2.entries.map((e) => e.key), ['key006', 'key007', 'key008']);
  const byValue = await tables.page('t', { sort: 'value', pageSize: 2 });
  assert.deepEqual(byValue.entries.map((e) => e.value), [901, 902]);
  const desc = await tables.page('t', { sort: 'key', order: 'desc', page: 1, pageSize: 2 });
  assert.deepEqual(desc.entries.map((e) => e.key), ['key097', 'key096']);
  const search = await tables.page('t', { search: 'KEY09', pageSize: 5 });
  assert.equal(search.matched, 10);
  assert.deepEqual(search.entries.map((e) => e.key), ['key090', 'key091', 'key092', 'key093', 'key094']);
  assert.equal((await tables.page('t', { search: '999' })).matched, 1, 'values are searched too');
});

test('bad names and queries are refused with stable codes', async () => {
  const tables = new TableRegistry();
  tables.register('t', new Map());
  assert.throws(() => tables.register('t', new Map()), { code: 'TABLE_EXISTS' });
  assert.throws(() => tables.register('bad name', new Map()), { code: 'TABLE_INVALID' });
  assert.throws(() => tables.register('n', 42 as never), { code: 'TABLE_INVALID' });
  await assert.rejects(tables.page('nope'), { code: 'TABLE_NOT_FOUND' });
  for (const q of [{ page: -1 }, { pageSize: 0 }, { pageSize: 1001 }, { sort: 'x' }, { order: 'up' }]) {
    await assert.rejects(tables.page('t', q as never), { code: 'TABLE_QUERY_INVALID' }, JSON.stringify(q));
  }
});

test('values are rendered safely: cycles, BigInt, Buffers, functions, class instances, long strings', async () => {
  const tables = new TableRegistry();
  class Session {
    id = 7;
    user = { name: 'x' };
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  tables.register('odd', new Map<string, unknown>([
    ['cycle', cyclic],
    ['big', 12345678901234567890n],
    ['buf', Buffer.from('hello')],
    ['fn', function handler() {}],
    ['cls', new Session()],
    ['long', 'x'.repeat(1000)],
    ['nan', NaN],
  ]));
  const e = Object.fromEntries((await tables.page('odd')).entries.map((x) => [x.key as string, x.value]));
  assert.deepEqual(e.cycle, { a: 1, self: '[Circular]' });
  assert.equal(e.big, '12345678901234567890n');
  assert.equal(e.buf, '<Buffer 68 65 6c 6c 6f (5 bytes)>');
  assert.equal(e.fn, '[Function handler]');
  assert.deepEqual(e.cls, { $class: 'Session', id: 7, user: { name: 'x' } });
  assert.equal(e.long, `${'x'.repeat(200)}…[+800 chars]`);
  assert.equal(e.nan, 'NaN');
  assert.doesNotThrow(() => JSON.stringify(e));
});

/** A Map that counts the entries read out of it, and refuses to be copied whole (spread, Array.from, forEach, keys, values). */
class CountingMap<K, V> extends Map<K, V> {
  read = 0;
  override *entries(): MapIterator<[K, V]> {
    for (const e of super.entries()) {
      this.read++;
      yield e;
    }
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    throw new Error('the whole Map was iterated');
  }
  override keys(): MapIterator<K> {
    throw new Error('the whole Map was iterated by keys');
  }
  override values(): MapIterator<V> {
    throw new Error('the whole Map was iterated by values');
  }
  override forEach(): void {
    throw new Error('the whole Map was walked with forEach');
  }
}

test('one page of a 1,000,000-entry Map is read without copying the table', async () => {
  const tables = new TableRegistry();
  const m = new CountingMap<number, { n: number }>();
  for (let i = 0; i < 1_000_000; i++) m.set(i, { n: i });
  tables.register('big', m);
  m.read = 0;
  const p = await tables.page('big', { page: 3, pageSize: 50 });
  assert.deepEqual(p.entries.map((e) => e.key).slice(0, 2), [150, 151]);
  assert.equal(p.size, 1_000_000);
  assert.equal(p.entries.length, 50);
  // Not a timing assertion (benchmarks measure that): only how much it did.
  assert.ok(m.read <= 3 * 50 + 50, `read ${m.read} entries for page 3 of 50: only those up to the page's end`);
  // A sort walks the whole table, but gives the event loop turns while it does.
  let ticks = 0;
  const tick = setInterval(() => ticks++, 1);
  const sorted = await tables.page('big', { sort: 'key', order: 'desc', pageSize: 3 }, 2);
  clearInterval(tick);
  assert.deepEqual(sorted.entries.map((e) => e.key), [999_999, 999_998, 999_997]);
  assert.ok(ticks > 0, 'timers ran during the sort');
});

test('secrets are redacted in a page, and a search cannot find them one letter at a time', async () => {
  const tables = new TableRegistry();
  tables.register('config', { host: 'db.internal', dbPassword: 'hunter2', url: 'postgres://app:pw@db/app', nested: { apiToken: 't0k', port: 5432 } });
  tables.register('sessions', new Map<string, unknown>([['key1', { user: 'ann', jwt: 'x' }], ['key2', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl']]));
  const config = Object.fromEntries((await tables.page('config')).entries.map((e) => [e.key as string, e.value]));
  assert.deepEqual(config, { host: 'db.internal', dbPassword: '[redacted]', url: 'postgres://app:[redacted]@db/app', nested: { apiToken: '[redacted]', port: 5432 } });
  assert.equal((await tables.page('config', { search: 'hunter' })).matched, 0);
  assert.equal((await tables.page('config', { search: 'db.internal' })).matched, 1, 'what is shown is still found');
  const sessions = (await tables.page('sessions')).entries;
  assert.deepEqual(sessions, [
    { key: 'key1', value: { user: 'ann', jwt: '[redacted]' } },
    { key: 'key2', value: '[redacted]' },
  ], 'a Map\'s keys are ids, not names: only the values\' own secrets are hidden');
  assert.equal((await tables.page('sessions', { search: 'eyJ' })).matched, 0);
});

test('a table that never ends is given up, as TABLE_FAILED, once it gave far more entries than its size', async () => {
  const tables = new TableRegistry();
  let given = 0;
  tables.register('endless', {
    size: () => 1,
    *entries() {
      for (let i = 0; ; i++, given++) yield [i, i] as const;
    },
  });
  await assert.rejects(tables.page('endless', { sort: 'key' }), { code: 'TABLE_FAILED', message: /looks endless/ });
  assert.ok(given > 100_000 && given < 100_100, `stopped after ${given} entries`);
  const first = await tables.page('endless', { pageSize: 2 });
  assert.deepEqual(first.entries.map((e) => e.key), [0, 1], 'an unsorted first page needs no walk');
});
