import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { blockMs, blockTheEventLoop, DEFAULT_BLOCK_MS, MAX_BLOCK_MS } from '../../src/demo/block.js';
import { DEMO_BLOCK_PAGE, startDemo } from '../../src/demo/service.js';

test('blockTheEventLoop holds the thread at least as long as asked', () => {
  // A lower bound only: the loop spins until the clock has passed, however slow the machine
  // (less 1 ms: Date.now() counts whole milliseconds).
  const t0 = performance.now();
  blockTheEventLoop(30);
  const took = performance.now() - t0;
  assert.ok(took >= 29, `${took} ms`);
});

test('blockMs reads /block?ms=: a default, whole numbers within bounds, a RangeError naming anything else', () => {
  assert.equal(blockMs(null), DEFAULT_BLOCK_MS);
  assert.equal(blockMs(''), DEFAULT_BLOCK_MS);
  assert.equal(blockMs('1'), 1);
  assert.equal(blockMs(String(MAX_BLOCK_MS)), MAX_BLOCK_MS);
  for (const bad of ['0', '-5', '2.5', 'abc', String(MAX_BLOCK_MS + 1)]) {
    const r = blockMs(bad);
    assert.ok(r instanceof RangeError, bad);
    assert.match(r.message, new RegExp(JSON.stringify(bad).replace(/[.]/g, '\\.')));
  }
});

test('the demo\'s /block route blocks in the named function, refuses a bad ms, and is linked from its home page and its API-only page', async () => {
  const demo = await startDemo({ port: 0, trafficEvery: 0, units: false });
  try {
    const ok = await fetch(`${demo.appUrl}/block?ms=20`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'blocked the event loop for 20 ms in blockTheEventLoop()\n');
    const noWorkers = await fetch(`${demo.appUrl}/block?ms=20&thread=worker`);
    assert.equal(noWorkers.status, 409, 'units: false has no worker to block');
    await noWorkers.text();
    const badThread = await fetch(`${demo.appUrl}/block?ms=20&thread=child`);
    assert.equal(badThread.status, 400);
    assert.match(await badThread.text(), /thread must be main or worker, got "child"/);
    const bad = await fetch(`${demo.appUrl}/block?ms=99999`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /ms must be a whole number from 1 to 5000/);
    assert.match(await (await fetch(`${demo.appUrl}/`)).text(), /<a href="\/block\?ms=300">/);
    const page = await demo.observer.pages.run(DEMO_BLOCK_PAGE);
    assert.ok(page.ok, JSON.stringify(page));
    assert.deepEqual(page.data, { route: `${demo.appUrl}/block?ms=300`, function: 'blockTheEventLoop', worker: null, periodic: 'off' });
    assert.equal(demo.observer.pages.list().find((p) => p.command === DEMO_BLOCK_PAGE)?.apiOnly, true, 'not in the menu');
  } finally {
    await demo.close();
  }
});

test('the demo\'s /block?thread=worker hands the block to its first worker thread', { timeout: 30_000 }, async () => {
  const demo = await startDemo({ port: 0, trafficEvery: 0 });
  try {
    const ok = await fetch(`${demo.appUrl}/block?ms=400&thread=worker`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), "blocking demo-worker-0's event loop for 400 ms in blockTheWorkerLoop()\n");
    const page = await demo.observer.pages.run(DEMO_BLOCK_PAGE);
    assert.ok(page.ok && (page.data as { worker: string }).worker === `${demo.appUrl}/block?ms=300&thread=worker`, JSON.stringify(page));
  } finally {
    await demo.close();
  }
});
