// One suite for the discovery methods (none, static, dns, custom), in the manner of
// Hono's shared router tests: `discoveryConformance()` is called once per method, each
// run by a real NodeDirectory against real wobserver nodes on loopback (and a node that
// knows the secret but lies). Cluster discovery needs processes of its own: it is run
// end to end by test/nodes/cluster.test.ts.
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { type Discovery, type NodeAddress, NodeDirectory, SIGNATURE_HEADERS, customDiscovery, dnsDiscovery, noDiscovery, signAnswers, staticDiscovery } from '../../src/nodes/index.js';
import { start } from '../../src/server/index.js';
import { dnsServer } from '../helpers/dns-server.js';

const SECRET = 'discovery-conformance-secret-0123456789';

/** What a method is given: the addresses of the other nodes (`host:port`) to return. */
interface Source {
  discovery: Discovery;
  /** Makes the source fail from now on, or work again; absent for a fixed list that cannot fail. */
  failing?: (on: boolean) => void;
  close(): void;
}

interface Method {
  /** Whether it returns other nodes at all (none does not). */
  listsOthers: boolean;
  source(others: readonly string[]): Promise<Source>;
}

interface Fleet {
  others: string[];
  /** The node that knows the secret but answers /api/about without a name of its own. */
  liar: string;
  stopC(): Promise<void>;
  close(): Promise<void>;
}

/** Two real nodes, b and c, and a liar, on loopback. */
async function fleet(): Promise<Fleet> {
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

function discoveryConformance(name: string, method: Method): void {
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
    test(`${name}: a node that stops answering is listed down with why, and the others are untouched`, async () => {
      const f = await fleet();
      const source = await method.source(f.others);
      try {
        const d = directory(source.discovery);
        assert.deepEqual(await summary(d), ['a (local) up', 'b up', 'c up']);
        await f.stopC();
        await d.refresh();
        const nodes = await d.list();
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

discoveryConformance('none', {
  listsOthers: false,
  source: async () => ({ discovery: noDiscovery, close: () => undefined }),
});

discoveryConformance('static', {
  listsOthers: true,
  source: async (others) => ({ discovery: staticDiscovery(others), close: () => undefined }),
});

discoveryConformance('custom', {
  listsOthers: true,
  source: async (others) => {
    let fail = false;
    return {
      discovery: customDiscovery(async () => {
        if (fail) throw new Error('the service registry is down');
        return others;
      }),
      failing: (on) => void (fail = on),
      close: () => undefined,
    };
  },
});

discoveryConformance('dns (SRV, from a DNS server on loopback)', {
  listsOthers: true,
  source: async (others) => {
    let fail = false;
    // The DNS server gives 127.0.0.1 and the ports; NXDOMAIN while failing.
    const dns = await dnsServer('nodes.wobserver.test', () => (fail ? [] : others.map((o) => Number(o.split(':')[1]))));
    return {
      discovery: dnsDiscovery({ name: 'nodes.wobserver.test', srv: true, servers: [dns.address] }),
      failing: (on) => void (fail = on),
      close: () => dns.close(),
    };
  },
});
