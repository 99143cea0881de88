import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createObserver } from '../../src/runtime/index.js';
import { start } from '../../src/server/index.js';
import { TestClient } from '../helpers/ws-client.js';
import { watchHost } from '../helpers/watch-host.js';

/** Tables that fail in each way an application's table can: its entries, its iterator, its size, its rows. */
function registerBroken(observer: ReturnType<typeof createObserver>): void {
  observer.tables.register('entries-throw', {
    size: () => 3,
    entries: () => {
      throw new Error('db down: password=hunter2');
    },
  });
  observer.tables.register('iterator-throws', {
    size: () => 10,
    *entries() {
      yield ['a', 1] as const;
      throw new TypeError('cursor closed');
    },
  });
  observer.tables.register('size-throws', {
    size: () => {
      throw new Error('no size');
    },
    entries: () => new Map([['a', 1]]).entries(),
  });
  observer.tables.register('bad-rows', { size: () => 1, entries: () => [null] as never });
  observer.tables.register('throws-a-string', {
    size: () => 1,
    entries: () => {
      // Not an Error, and one that cannot even be printed.
      throw { toString: () => { throw new Error('nope'); } };
    },
  });
}

const BROKEN = ['entries-throw', 'iterator-throws', 'size-throws', 'bad-rows', 'throws-a-string'];

test('a table that throws answers 500 TABLE_FAILED over HTTP, redacted, and the other tables and pages still work', async () => {
  const observer = createObserver();
  registerBroken(observer);
  observer.tables.register('users', new Map([['u1', { name: 'Ann' }]]));
  const host = watchHost();
  const s = await start({ port: 0, observer });
  try {
    for (const name of BROKEN) {
      for (const query of ['', '?sort=key', '?search=a', '?page=3']) {
        const res = await fetch(`${s.url}/api/tables/${name}${query}`);
        const body = (await res.json()) as { error: { code: string; message: string } };
        assert.equal(res.status, 500, `${name}${query}`);
        assert.equal(body.error.code, 'TABLE_FAILED', `${name}${query}`);
        assert.match(body.error.message, new RegExp(`table "${name}"`));
      }
    }
    const thrown = (await (await fetch(`${s.url}/api/tables/entries-throw`)).json()) as { error: { message: string } };
    assert.match(thrown.error.message, /db down/, 'the application\'s reason is given');
    assert.ok(!thrown.error.message.includes('hunter2'), 'and redacted');

    const list = await fetch(`${s.url}/api/tables`);
    assert.equal(list.status, 200, 'the list answers although some tables are broken');
    const tables = (await list.json()) as { name: string; size: number; error?: { code: string } }[];
    assert.deepEqual(
      tables.filter((t) => t.error !== undefined).map((t) => [t.name, t.error!.code]),
      BROKEN.map((name) => [name, 'TABLE_FAILED']),
    );
    const users = tables.find((t) => t.name === 'users')!;
    assert.equal(users.size, 1);
    assert.equal(users.error, undefined);

    const page = await fetch(`${s.url}/api/tables/users`);
    assert.equal(page.status, 200);
    assert.deepEqual(((await page.json()) as { entries: unknown[] }).entries, [{ key: 'u1', value: { name: 'Ann' } }]);
    assert.equal((await fetch(`${s.url}/api/system`)).status, 200, 'the other pages still answer');
    assert.deepEqual(host.faults, [], 'nothing was thrown into the application');
  } finally {
    host.stop();
    await s.close();
    observer.close();
  }
});

test('over the WebSocket, a failing table is a TABLE_FAILED error for a read and for each push, beside a working subscription', async () => {
  const observer = createObserver();
  registerBroken(observer);
  observer.tables.register('cache', new Map([['a', 1]]));
  const host = watchHost();
  const s = await start({ port: 0, observer });
  const c = new TestClient(`${s.url.replace(/^http/, 'ws')}/ws`, { origin: s.url });
  try {
    await c.opened();
    for (const [i, name] of BROKEN.entries()) {
      c.send({ id: `get-${i}`, get: 'tables', params: { name, sort: 'value' } });
      const answer = await c.next((m) => m.id === `get-${i}`);
      assert.equal(answer.error?.code, 'TABLE_FAILED', `${name}: ${JSON.stringify(answer)}`);
    }
    c.send({ id: 'bad', subscribe: 'tables', params: { name: 'iterator-throws' }, every: 250 });
    c.send({ id: 'good', subscribe: 'tables', params: { name: 'cache' }, every: 250 });
    const first = await c.next((m) => m.sub === 'bad' && m.error !== undefined);
    assert.equal(first.error.code, 'TABLE_FAILED');
    // The failing subscription keeps being served (and failing); the good one keeps its data.
    await c.next((m) => m.sub === 'bad' && m.error !== undefined && m !== first);
    const good = await c.next((m) => m.sub === 'good' && m.data !== undefined);
    assert.deepEqual(good.data.entries, [{ key: 'a', value: 1 }]);
    c.send({ id: 'after', get: 'tables', params: { name: 'cache' } });
    assert.equal((await c.next((m) => m.id === 'after')).data.size, 1, 'the connection still answers');
    assert.deepEqual(host.faults, [], 'nothing was thrown into the application');
  } finally {
    c.close();
    host.stop();
    await s.close();
    observer.close();
  }
});
