import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CustomPages } from '../../src/runtime/custom-pages.js';

test('a page returns a map, a table or several tables, also from a promise or a Map', async () => {
  const pages = new CustomPages();
  pages.register({ title: 'Config', command: 'config', callback: () => ({ env: 'test', workers: 2 }) });
  pages.register({ title: 'Jobs', command: 'jobs', callback: async () => [{ id: 1, state: 'ok' }, { id: 2, state: 'failed' }], refresh: 5 });
  pages.register({ title: 'Pools', command: 'pools', callback: () => ({ db: [{ idle: 1 }], cache: [{ idle: 2 }], summary: { total: 3 } }) });
  pages.register({ title: 'Hidden', command: 'hidden', callback: () => new Map([['a', 1]]), apiOnly: true });
  assert.deepEqual(pages.list(), [
    { title: 'Config', command: 'config', apiOnly: false, refresh: 0 },
    { title: 'Jobs', command: 'jobs', apiOnly: false, refresh: 5 },
    { title: 'Pools', command: 'pools', apiOnly: false, refresh: 0 },
    { title: 'Hidden', command: 'hidden', apiOnly: true, refresh: 0 },
  ]);
  assert.deepEqual(await pages.run('config'), { command: 'config', title: 'Config', ok: true, shape: 'map', data: { env: 'test', workers: 2 } });
  const jobs = await pages.run('jobs');
  assert.ok(jobs.ok && jobs.shape === 'table');
  const pools = await pages.run('pools');
  assert.ok(pools.ok && pools.shape === 'tables');
  assert.deepEqual(await pages.run('hidden'), { command: 'hidden', title: 'Hidden', ok: true, shape: 'map', data: { a: 1 } });
});

test('a page that throws, hangs, returns the wrong shape or unserializable data gives an error entry', async () => {
  const pages = new CustomPages();
  let calls = 0;
  pages.register({ title: 'T', command: 'throws', callback: () => {
    throw new Error('boom');
  } });
  pages.register({ title: 'H', command: 'hangs', callback: () => {
    calls++;
    return new Promise(() => undefined);
  } });
  pages.register({ title: 'S', command: 'shape', callback: () => 42 });
  pages.register({ title: 'C', command: 'cycle', callback: () => {
    const o: Record<string, unknown> = { n: 1n };
    o.me = o;
    return o;
  } });
  assert.deepEqual(await pages.run('throws'), { command: 'throws', title: 'T', ok: false, error: { code: 'PAGE_FAILED', message: 'boom' } });
  const [h1, h2] = await Promise.all([pages.run('hangs', 50), pages.run('hangs', 50)]);
  assert.equal(!h1.ok && h1.error.code, 'PAGE_TIMEOUT');
  assert.equal(!h2.ok && h2.error.code, 'PAGE_TIMEOUT');
  assert.equal(calls, 1, 'concurrent runs share one call');
  const s = await pages.run('shape');
  assert.equal(!s.ok && s.error.code, 'PAGE_SHAPE');
  const cycle = await pages.run('cycle');
  assert.equal(!cycle.ok && cycle.error.code, 'PAGE_UNSERIALIZABLE');
  assert.match(!cycle.ok ? cycle.error.message : '', /cannot be sent/);
});

test('pages are validated when registered, and unknown commands are PAGE_NOT_FOUND', async () => {
  const pages = new CustomPages();
  const off = pages.register({ title: 'A', command: 'a', callback: () => ({}) });
  assert.throws(() => pages.register({ title: 'A', command: 'a', callback: () => ({}) }), { code: 'PAGE_EXISTS' });
  assert.throws(() => pages.register({ title: 'A', command: 'a b', callback: () => ({}) }), { code: 'PAGE_INVALID' });
  assert.throws(() => pages.register({ title: '', command: 'b', callback: () => ({}) }), { code: 'PAGE_INVALID' });
  assert.throws(() => pages.register({ title: 'B', command: 'b', callback: 1 as never }), { code: 'PAGE_INVALID' });
  assert.throws(() => pages.register({ title: 'B', command: 'b', callback: () => ({}), refresh: -1 }), { code: 'PAGE_INVALID' });
  await assert.rejects(pages.run('nope'), { code: 'PAGE_NOT_FOUND' });
  off();
  await assert.rejects(pages.run('a'), { code: 'PAGE_NOT_FOUND' });
});
