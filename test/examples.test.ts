import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { startChild } from './helpers/child.js';

/** Runs an example as its own process (it imports 'wobserver' by name, the built package) and returns the URL it prints. */
async function run(name: string): Promise<{ url: string; kill(): void }> {
  const c = await startChild(process.execPath, [fileURLToPath(new URL(`../examples/${name}`, import.meta.url))], { env: { ...process.env, PORT: '0' }, ready: /http:\/\/\S+/, what: name });
  return { url: c.match[0], kill: c.kill };
}

for (const [file, greeting] of [['node-http.mjs', 'node:http'], ['express.mjs', 'express'], ['fastify.mjs', 'fastify'], ['koa.mjs', 'koa'], ['nestjs.mjs', 'nestjs']] as const) {
  test(`examples/${file}: the application and wobserver under /wobserver, WebSocket included`, { timeout: 60_000 }, async () => {
    const ex = await run(file);
    try {
      assert.equal(await (await fetch(`${ex.url}/`)).text(), `hello from ${greeting}`);
      const about = (await (await fetch(`${ex.url}/wobserver/api/about`)).json()) as { prefix: string };
      assert.equal(about.prefix, '/wobserver');
      assert.match(await (await fetch(`${ex.url}/wobserver/`)).text(), /<div id="app">/);
      assert.match(await (await fetch(`${ex.url}/wobserver/metrics`)).text(), /^nodejs_heap_size_used_bytes /m);
      const ws = new WebSocket(`${ex.url.replace('http', 'ws')}/wobserver/ws`);
      const hello = await new Promise<string>((resolve, reject) => {
        ws.once('message', (d) => resolve(d.toString()));
        ws.once('error', reject);
      });
      assert.match(hello, /"hello"/);
      ws.close();
    } finally {
      ex.kill();
    }
  });
}

test('examples/extend.mjs: a metric from a function, a table, a custom page and a format of its own', { timeout: 60_000 }, async () => {
  const ex = await run('extend.mjs');
  try {
    assert.match(await (await fetch(`${ex.url}/metrics`)).text(), /^jobs_queued 1$/m);
    assert.equal(((await (await fetch(`${ex.url}/api/tables/jobs`)).json()) as { size: number }).size, 2);
    assert.deepEqual(((await (await fetch(`${ex.url}/api/pages/queue`)).json()) as { data: unknown }).data, { running: 1, queued: 1 });
    assert.match(await (await fetch(`${ex.url}/metrics?format=influx`)).text(), /^jobs_queued value=1$/m);
  } finally {
    ex.kill();
  }
});
