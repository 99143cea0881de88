import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NodeInfo } from '../../src/protocol/index.js';
import { viewingOf } from '../../src/ui/viewing.js';

const node = (name: string, over: Partial<NodeInfo> = {}): NodeInfo => ({ name, host: '127.0.0.1', port: 4001, prefix: '', local: false, state: 'up', proxy: true, ...over });
const fleet = [node('here', { local: true }), node('there', { state: 'down', lastSeen: 1_000 }), node('new', { state: 'unknown' })];

test('the page names this node when none is picked, the picked one otherwise, the hello\'s until the nodes topic answers', () => {
  assert.equal(viewingOf(undefined, fleet, 'open', 0).nodeName, 'here');
  assert.equal(viewingOf('there', fleet, 'open', 0).nodeName, 'there');
  assert.equal(viewingOf(undefined, undefined, 'open', 0, 'from-hello').nodeName, 'from-hello');
  assert.equal(viewingOf('picked', undefined, 'open', 0, 'from-hello').nodeName, 'picked');
});

test('data is fresh while connected (or over the fallback) and the node looked at is up', () => {
  assert.equal(viewingOf(undefined, fleet, 'open', 0).stale, undefined);
  assert.equal(viewingOf(undefined, fleet, 'fallback', 0).stale, undefined);
  // Before the first connection there is no data to be stale.
  assert.equal(viewingOf(undefined, fleet, 'connecting', 0).stale, undefined);
});

test('data is stale since the connection dropped, whatever the nodes topic said last', () => {
  assert.deepEqual(viewingOf(undefined, fleet, 'reconnecting', 5_000).stale, { reason: 'reconnecting', since: 5_000 });
  assert.deepEqual(viewingOf('there', fleet, 'closed', 6_000).stale, { reason: 'disconnected', since: 6_000 });
});

test('data from a node that is down is stale since it last answered; one not reached yet is marked unknown', () => {
  assert.deepEqual(viewingOf('there', fleet, 'open', 9_000).stale, { reason: 'node down', since: 1_000 });
  assert.deepEqual(viewingOf('new', fleet, 'open', 9_000).stale, { reason: 'node unknown', since: undefined });
});
