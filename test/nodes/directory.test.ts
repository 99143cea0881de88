import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeDirectory, customDiscovery } from '../../src/nodes/index.js';

test('requests for names discovery never returned do not make the directory rediscover on every call', async () => {
  let calls = 0;
  const directory = new NodeDirectory({
    discovery: customDiscovery(() => {
      calls++;
      return [];
    }),
    localName: 'me',
    localPrefix: '',
    ttlMs: 60_000,
  });
  assert.deepEqual((await directory.list()).map((n) => [n.name, n.local]), [['me', true]]);
  for (let i = 0; i < 50; i++) assert.equal(await directory.find(`made-up-${i}`), undefined);
  assert.equal(calls, 1, 'one discovery, however many unknown names are asked for within a second');
  assert.equal((await directory.find('me'))?.state.local, true);
});
