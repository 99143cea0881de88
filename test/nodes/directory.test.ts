import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

test('a standalone start() lists the local node with the address it really listens on, and gives Prometheus one target', async () => {
  const { start } = await import('../../src/server/index.js');
  const s = await start({ port: 0, assets: false, nodeName: 'solo' });
  try {
    const port = (s.server.address() as AddressInfo).port;
    const nodes = (await (await fetch(`${s.url}/api/nodes`)).json()) as { name: string; host: string; port: number; local: boolean }[];
    assert.deepEqual(nodes.map((n) => [n.name, n.host, n.port, n.local]), [['solo', '127.0.0.1', port, true]]);
    const sd = (await (await fetch(`${s.url}/api/nodes/prometheus`)).json()) as unknown;
    assert.deepEqual(sd, [{ targets: [`127.0.0.1:${port}`], labels: { node: 'solo', __metrics_path__: '/metrics' } }]);
  } finally {
    await s.close();
  }
});

test('mounted on a server of its own through attach(), wobserver learns the address once the server listens, prefix included', async () => {
  const { createWobserver } = await import('../../src/server/index.js');
  const wob = createWobserver({ prefix: '/wob', assets: false, nodeName: 'mounted' });
  const server = createServer((req, res) => void wob.handle(req, res));
  wob.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const sd = (await (await fetch(`http://127.0.0.1:${port}/wob/api/nodes/prometheus`)).json()) as unknown;
    assert.deepEqual(sd, [{ targets: [`127.0.0.1:${port}`], labels: { node: 'mounted', __metrics_path__: '/wob/metrics' } }]);
  } finally {
    wob.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
