import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { LogLine, LoggedRequest, RequestLogEvent } from '../../../src/protocol/logs.js';
import { type FixtureRun, runFixture } from './child.js';

// One run of the fixture (a real node:http server and a real Express app on loopback), read by each test.
let run: FixtureRun;
before(async () => {
  run = await runFixture('request-logger');
  assert.equal(run.code, 0, run.stderr.toString());
});

/** A request's events merged: its last state and all its lines, by the tag in its URL. */
function request(tag: string): { request: LoggedRequest; lines: LogLine[]; events: number } {
  const events = (run.result.events as RequestLogEvent[]).filter((e) => new RegExp(`[?&]tag=${tag}(&|$)`).test(e.request.url));
  assert.ok(events.length > 0, `events of ${tag}`);
  assert.equal(new Set(events.map((e) => e.request.id)).size, 1, `one request ${tag}`);
  return { request: events.at(-1)!.request, lines: events.flatMap((e) => e.lines), events: events.length };
}

const messages = (ls: LogLine[]): string[] => ls.map((l) => l.message);

test('a marked request\'s lines logged across an await and a timer reach its watcher, with method, redacted URL, status and duration', () => {
  const m = request('m');
  assert.deepEqual(messages(m.lines), ['start m', 'after await m', 'in timer m']);
  assert.deepEqual(m.lines.map((l) => [l.source, l.level]), [['console', 'info'], ['pino', 'info'], ['console', 'warn']]);
  assert.ok(m.lines.every((l) => l.request === m.request.id));
  assert.equal(m.request.method, 'GET');
  assert.equal(m.request.status, 201);
  assert.equal(m.request.state, 'finished');
  // The handler waits 10 ms, then 10 ms more in a timer.
  assert.ok(m.request.durationMs !== null && m.request.durationMs >= 18 && m.request.durationMs < 5000, String(m.request.durationMs));
  assert.equal(m.request.url, '/work?wobserver_logger=[redacted]&tag=m&api_key=[redacted]', 'the token and secrets are not shown');
});

test('an unmarked concurrent request\'s lines, and those of a request marked with a token nobody watches, reach no watcher', () => {
  const all = (run.result.events as RequestLogEvent[]).flatMap((e) => messages(e.lines));
  for (const tag of ['u', 'x', 'u2', 'k2', 'p2', 'unwatched']) {
    assert.ok(!all.some((m) => m.endsWith(` ${tag}`)), `${tag} in ${JSON.stringify(all)}`);
  }
  const ring = run.result.lines as LogLine[];
  const unmarked = ring.filter((l) => / (u|x|u2|k2)$/.test(l.message));
  assert.equal(unmarked.length, 12, 'they were captured in the ring');
  assert.ok(unmarked.every((l) => l.request === null));
  assert.equal(ring.find((l) => l.message === 'the listener logs too')?.request, null, 'what a listener logs is nobody\'s request');
});

test('a request is marked by the header or the cookie too', () => {
  assert.deepEqual(messages(request('h').lines), ['start h', 'after await h', 'in timer h']);
  assert.deepEqual(messages(request('c').lines), ['start c', 'after await c', 'in timer c']);
});

test('on a keep-alive connection, the unmarked request after a marked one is not attached to it, even pipelined while the marked one is in flight', () => {
  assert.equal(run.result.ports.k1, run.result.ports.k2, 'both requests came on one connection');
  assert.deepEqual(messages(request('k1').lines), ['start k1', 'after await k1', 'in timer k1']);
  assert.equal(run.result.ports.p1, run.result.ports.p2, 'both pipelined requests came on one connection');
  assert.deepEqual(messages(request('p1').lines), ['start p1', 'after await p1', 'in timer p1']);
  const p2 = (run.result.lines as LogLine[]).filter((l) => l.message.endsWith(' p2'));
  assert.deepEqual(p2.map((l) => [l.message, l.request]), [['start p2', null], ['after await p2', null], ['in timer p2', null]]);
});

test('the request logger keeps at most requestLines lines per request and requests requests, counting what it dropped', () => {
  const many = request('many');
  assert.deepEqual(messages(many.lines), ['many 0', 'many 1', 'many 2', 'many 3', 'many 4', 'many 5']);
  assert.equal(many.request.droppedLines, 4);
  // Eight marked requests, four kept: the oldest four forgotten.
  assert.equal(run.result.statsWhile.requestsKept, 4);
  assert.equal(run.result.statsWhile.requestsDropped, 4);
  assert.deepEqual(
    (run.result.kept as { url: string }[]).map((k) => /tag=(\w+)/.exec(k.url)?.[1]),
    ['p1', 'many', 'express', 'abort'],
  );
});

test('an Express request has its route template; an aborted one says so, and what it logs after the abort is not its', () => {
  const e = request('express');
  assert.equal(e.request.route, '/api/items/:id');
  assert.equal(e.request.status, 200);
  assert.deepEqual(messages(e.lines), ['express item 42']);
  const a = request('abort');
  assert.equal(a.request.state, 'aborted');
  assert.equal(a.request.status, null);
  assert.deepEqual(messages(a.lines), ['abort start']);
});

test('a listener that throws is isolated: the other watcher of the token still hears every event', () => {
  assert.equal(run.result.statsWhile.listenerErrors, (run.result.events as unknown[]).length);
  assert.ok(run.result.statsWhile.listenerErrors >= 10);
});

test('the HTTP channels are subscribed only while someone watches, and nothing is delivered after', () => {
  assert.equal(run.result.subscribedBefore, false);
  assert.equal(run.result.subscribedWhile, true);
  assert.equal(run.result.subscribedAfter, false);
  assert.equal(run.result.statsAfter.requestWatchers, 0);
  assert.equal(run.result.statsAfter.requestsKept, 0);
  assert.equal((run.result.events as unknown[]).length, run.result.eventsAfterStop);
});
