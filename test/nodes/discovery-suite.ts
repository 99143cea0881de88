// One suite for every discovery method (none, static, dns, custom, cluster), in the
// manner of Hono's shared router tests: `discoveryConformance()` is called once per
// method (discovery-conformance.test.ts and discovery-conformance-cluster.test.ts),
// each run by a real NodeDirectory against real wobserver nodes on loopback, b and c,
// and a node that knows the secret but lies. The HTTP methods share one fleet of
// servers; cluster discovery brings its own, worker processes forked by the test.
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { type Discovery, type NodeAddress, NodeDirectory, SIGNATURE_HEADERS, signAnswers, } from '../../src/nodes/index.js';
import { start } from '../../src/server/index.js';

export const SECRET = 'discovery-conformance-secret-0123456789';

/** What a method is given: the addresses of the other nodes (`host:port`) to return. */
export interface Source {
  discovery: Discovery;
  /** Makes the source fail from now on, or work again; absent for a fixed list that cannot fail. */
  failing?: (on: boolean) => void;
  close(): void;
}

export interface Method {
  /** Whether it returns other nodes at all (none does not). */
  listsOthers: boolean;
  /** What a node that stopped answering becomes: listed down under its name, or gone (a cluster worker that exited is no node any more). */
  stopped: 'down' | 'gone';
  /** The nodes it finds: by default two servers and the liar on loopback, handed to `source` as `host:port`. */
  fleet?: () => Promise<Fleet>;
  source(others: readonly string[]): Promise<Source>;
}

export interface Fleet {
  others: string[];
  /** The node that knows the secret but answers /api/about without a name of its own. */
  liar: string;
  stopC(): Promise<void>;
  close(): Promise<void>;
}

/** Two real nodes, b and c, and a liar, on loopback. */
async function httpFleet(): Promise<Fleet> {
  const b = await start({ port: 0, nodeName: 'b', assets: false, nodes: { secret: SECRET } });
  const c = await start({ port: 0, nodeName: 'c', assets: false, nodes: { secret: SECRET } });
  const liar: Server = createServer((req, res) => {
    const nonce = req.headers[SIGNATURE_HEADERS.nonce];
    if (typeof nonce === 'string') signAnswers(res, SECRET, nonce);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ name: 'wobserver', node: 42 }));
  });
  await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
  const hp = (url: string): string => new URL(url).host;
  let cOpen = true;
  const stopC = async (): Promise<void> => {
    if (!cOpen) return;
    cOpen = false;
    await c.close();
  };
  return {
    others: [hp(b.url), hp(c.url)],
    liar: `127.0.0.1:${(liar.address() as AddressInfo).port}`,
    stopC,
    close: async () => {
      await b.close();
      await stopC();
      liar.closeAllConnections();
      await new Promise<void>((resolve) => liar.close(() => resolve()));
    },
  };
}

function directory(discovery: Discovery): NodeDirectory {
  return new NodeDirectory({ discovery, localName: 'a', localPrefix: '', secret: SECRET, ttlMs: 60_000, timeoutMs: 2000 });
}

const summary = (d: NodeDirectory): Promise<string[]> => d.list().then((nodes) => nodes.map((n) => `${n.name}${n.local ? ' (local)' : ''} ${n.state}`));

export function discoveryConformance(name: string, method: Method): void {
  const fleet = method.fleet ?? httpFleet;
  test(`${name}: lists this node once, as local, and every node it returns under the name that node tells`, async () => {
    const f = await fleet();
    const source = await method.source(f.others);
    try {
      const d = directory(source.discovery);
      assert.deepEqual(await summary(d), method.listsOthers ? ['a (local) up', 'b up', 'c up'] : ['a (local) up']);
      const found = await source.discovery.discover();
      for (const a of found) {
        assert.ok(typeof a.host === 'string' && a.host !== '', `host of ${JSON.stringify(a)}`);
        assert.ok(Number.isInteger(a.port) && a.port > 0 && a.port < 65536, `port of ${JSON.stringify(a)}`);
      }
      assert.deepEqual(found.map((a: NodeAddress) => `${a.host}:${a.port}`).sort(), method.listsOthers ? [...f.others].sort() : []);
    } finally {
      source.close();
      await f.close();
    }
  });

  if (method.listsOthers) {
    test(`${name}: ${method.stopped === 'down' ? 'a node that stops answering is listed down with why' : 'a node that stops (its worker exits) is listed no more'}, and the others are untouched`, async () => {
      const f = await fleet();
      const source = await method.source(f.others);
      try {
        const d = directory(source.discovery);
        assert.deepEqual(await summary(d), ['a (local) up', 'b up', 'c up']);
        await f.stopC();
        await d.refresh();
        const nodes = await d.list();
        if (method.stopped === 'gone') {
          assert.deepEqual(nodes.map((n) => `${n.name} ${n.state}`), ['a up', 'b up'], 'no longer a node');
          return;
        }
        assert.deepEqual(nodes.map((n) => `${n.name} ${n.state}`), ['a up', 'b up', 'c down'], 'still listed under its name');
        assert.match(nodes.find((n) => n.name === 'c')!.error ?? '', /\S/);
      } finally {
        source.close();
        await f.close();
      }
    });

    test(`${name}: what a returned node says is validated: one that knows the secret but gives no name of its own is listed down (NODE_BAD_ANSWER), never as a node`, async () => {
      const f = await fleet();
      const source = await method.source([...f.others, f.liar]);
      try {
        const d = directory(source.discovery);
        const nodes = await d.list();
        assert.deepEqual(nodes.map((n) => `${n.name} ${n.state}`).sort(), [`${f.liar} down`, 'a up', 'b up', 'c up'].sort(), 'the liar under its address, down');
        assert.match(nodes.find((n) => n.state === 'down')!.error ?? '', /^NODE_BAD_ANSWER/);
        assert.equal(await d.find('42'), undefined);
      } finally {
        source.close();
        await f.close();
      }
    });
  }

  test(`${name}: a source that fails keeps the last list and says why, and the next success clears it`, async () => {
    const f = await fleet();
    const source = await method.source(f.others);
    try {
      const d = directory(source.discovery);
      const before = await summary(d);
      assert.equal(d.discoveryError, undefined);
      if (source.failing === undefined) {
        // A fixed list cannot fail: refreshing it changes nothing.
        await d.refresh();
        assert.deepEqual(await summary(d), before);
        assert.equal(d.discoveryError, undefined);
        return;
      }
      source.failing(true);
      await d.refresh();
      assert.deepEqual(await summary(d), before, 'the last list is kept');
      assert.match(d.discoveryError ?? '', /\S/, 'and the error is there to show');
      source.failing(false);
      await d.refresh();
      assert.equal(d.discoveryError, undefined);
      assert.deepEqual(await summary(d), before);
    } finally {
      source.close();
      await f.close();
    }
  });
}

