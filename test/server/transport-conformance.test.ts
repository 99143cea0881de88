// One protocol script for both live transports (the WebSocket and the HTTP fallback of
// a server-sent event stream with POSTed messages), in the manner of Hono's shared
// router tests: `transportConformance()` is called once per transport. What only one
// transport has (binary frames, a WebSocket close code, an HTTP status) stays in
// websocket.test.ts and security.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createObserver } from '../../src/runtime/index.js';
import { start } from '../../src/server/index.js';
import { EventsClient } from '../helpers/events-client.js';
import { untilTrue } from '../helpers/until.js';
import { TestClient } from '../helpers/ws-client.js';

/** A live client over one transport: it keeps every message and waits for the one a test expects. */
interface LiveClient {
  readonly messages: Record<string, any>[];
  opened(): Promise<void>;
  send(m: unknown): unknown;
  next(match: (m: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  close(): void;
}

interface Transport {
  /** The name the server's hello gives it. */
  name: 'websocket' | 'events';
  connect(url: string): LiveClient;
  /** Sends a text that is no JSON; resolves with the error code it is answered with (on the stream, or by the POST). */
  sendNotJson(c: LiveClient, text: string): Promise<string | undefined>;
  /** Whether a connection beyond `maxClients` is refused, with its status. */
  refusedStatus(url: string): Promise<number | undefined>;
}

function transportConformance(t: Transport): void {
  test(`${t.name}: hello names the protocol, node and transport; get answers by id; subscribe pushes the window then appended samples; unsubscribe stops the feed`, async () => {
    const observer = createObserver({ load: { interval: 100 } });
    const s = await start({ port: 0, observer, nodeName: 'n1' });
    const c = t.connect(s.url);
    try {
      await c.opened();
      const hello = await c.next((m) => m.hello !== undefined);
      assert.equal(hello.hello.protocol, 1);
      assert.equal(hello.hello.node, 'n1');
      assert.equal(hello.hello.transport, t.name);

      c.send({ subscribe: 'load' });
      const ack = await c.next((m) => m.subscribed !== undefined);
      assert.deepEqual(ack, { subscribed: 's1', topic: 'load', every: 250 }, "the sampler's rate, raised to the fastest allowed");
      const first = await c.next((m) => m.sub === 's1');
      assert.ok(Array.isArray(first.data.timestamps) && first.append === undefined, 'the whole window first');
      const more = await c.next((m) => m.sub === 's1' && m.append === true && m.data.timestamps.length > 0);
      assert.ok(more.data.series.heapUsed.length === more.data.timestamps.length);
      assert.equal(observer.load.running, true);

      c.send({ id: 7, get: 'system' });
      const system = await c.next((m) => m.id === 7);
      assert.equal(system.data.process.pid, process.pid);

      c.send({ id: 'u', unsubscribe: 's1' });
      assert.deepEqual(await c.next((m) => m.id === 'u'), { id: 'u', unsubscribed: 's1' });
      assert.equal(observer.load.running, false, 'nobody watches load: the sampler stops');
      assert.equal(s.wobserver.liveStats().feeds, 0);
    } finally {
      c.close();
      await s.close();
      observer.close();
    }
  });

  test(`${t.name}: every malformed message is answered with an error and its code, within the limits, and the session goes on answering`, async () => {
    const s = await start({ port: 0, nodeName: 'me', live: { maxMessageBytes: 1024, maxSubscriptions: 2 } });
    const c = t.connect(s.url);
    try {
      await c.opened();
      assert.equal(await t.sendNotJson(c, 'not json'), 'BAD_MESSAGE');
      const cases: [unknown, string][] = [
        [{ id: 1, hello: 'x' }, 'UNKNOWN_COMMAND'],
        [{ id: 2, get: 'system', subscribe: 'load' }, 'UNKNOWN_COMMAND'],
        [{ id: 3, get: 'nope' }, 'UNKNOWN_TOPIC'],
        [{ id: 4, get: 'system', node: 'elsewhere' }, 'NODE_NOT_FOUND'],
        [{ id: 5, get: 'tables', params: { name: 'x', page: 'one' } }, 'BAD_PARAMETER'],
        [{ id: 6, get: 'tables', params: 'x' }, 'BAD_PARAMETER'],
        [{ id: 7, subscribe: 'memory', every: -1 }, 'BAD_PARAMETER'],
        [{ id: 8, unsubscribe: 'none' }, 'NOT_SUBSCRIBED'],
        [{ id: { x: 1 }, get: 'system' }, 'BAD_MESSAGE'],
      ];
      for (const [m, code] of cases) {
        c.messages.length = 0;
        await c.send(m);
        const answer = await c.next((x) => x.error !== undefined);
        assert.equal(answer.error.code, code, JSON.stringify(m));
        assert.equal(typeof answer.error.message, 'string');
      }
      await c.send({ id: 'a', subscribe: 'about', every: 0 });
      await c.send({ id: 'a', subscribe: 'about' });
      assert.equal((await c.next((x) => x.id === 'a' && x.error !== undefined)).error.code, 'DUPLICATE_ID');
      await c.send({ id: 'b', subscribe: 'about', every: 0 });
      await c.send({ id: 'c', subscribe: 'about', every: 0 });
      assert.equal((await c.next((x) => x.id === 'c')).error.code, 'TOO_MANY_SUBSCRIPTIONS');
      await c.send({ id: 'ok', get: 'about', node: 'me' });
      assert.equal((await c.next((x) => x.id === 'ok')).data.node, 'me', 'still answering');
    } finally {
      c.close();
      await s.close();
    }
  });

  test(`${t.name}: a client beyond maxClients (both transports together) is refused with 503, and one is served again once a place is free`, async () => {
    const s = await start({ port: 0, live: { maxClients: 1 } });
    const first = t.connect(s.url);
    try {
      await first.opened();
      await first.next((m) => m.hello !== undefined);
      assert.equal(await t.refusedStatus(s.url), 503);
      first.close();
      await untilTrue(() => s.wobserver.liveStats().clients === 0, 'the place is free', 5000);
      const again = t.connect(s.url);
      try {
        await again.opened();
        await again.send({ id: 1, get: 'about' });
        assert.equal((await again.next((m) => m.id === 1)).data.name, 'wobserver');
      } finally {
        again.close();
      }
    } finally {
      first.close();
      await s.close();
    }
  });
}

const wsUrl = (httpUrl: string): string => `${httpUrl.replace(/^http/, 'ws')}/ws`;

transportConformance({
  name: 'websocket',
  connect: (url) => new TestClient(wsUrl(url)),
  async sendNotJson(c, text) {
    c.messages.length = 0;
    c.send(text);
    return (await c.next((m) => m.error !== undefined)).error.code as string;
  },
  async refusedStatus(url) {
    try {
      await new TestClient(wsUrl(url)).opened();
      return undefined;
    } catch (e) {
      return (e as { status?: number }).status;
    }
  },
});

transportConformance({
  name: 'events',
  connect: (url) => new EventsClient(url),
  async sendNotJson(c, text) {
    const answer = await (c as EventsClient).post(text);
    assert.equal(answer.status, 400);
    return answer.code;
  },
  async refusedStatus(url) {
    const c = new EventsClient(url);
    try {
      await c.opened();
      return undefined;
    } catch (e) {
      return (e as { status?: number }).status;
    } finally {
      c.close();
    }
  },
});
