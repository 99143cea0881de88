import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { Applications } from '../../src/runtime/applications.js';
import { ProcessTracker } from '../../src/runtime/processes.js';
import { createRedactor } from '../../src/runtime/redact.js';

test('loaded packages, CommonJS and ESM, form a dependency diagram rooted at the application', async () => {
  // A CommonJS package with dependencies, from this repository's node_modules.
  createRequire(import.meta.url)('prom-client');
  // An ESM package that depends on another ESM package, in a node_modules of the test's own.
  const dir = await mkdtemp(join(tmpdir(), 'wobserver-apps-'));
  const tracker = new ProcessTracker(createRedactor());
  try {
    const nm = join(dir, 'node_modules');
    await mkdir(join(nm, 'esm-a'), { recursive: true });
    await mkdir(join(nm, 'esm-b'), { recursive: true });
    await writeFile(join(nm, 'esm-a/package.json'), JSON.stringify({ name: 'esm-a', version: '1.2.3', type: 'module', dependencies: { 'esm-b': '^2' } }));
    await writeFile(join(nm, 'esm-a/index.js'), "import b from 'esm-b'; export default b + 1;\n");
    await writeFile(join(nm, 'esm-b/package.json'), JSON.stringify({ name: 'esm-b', version: '2.0.0', type: 'module' }));
    await writeFile(join(nm, 'esm-b/index.js'), 'export default 41;\n'.padEnd(500, ' '));
    const mod = (await import(pathToFileURL(join(nm, 'esm-a/index.js')).href)) as { default: number };
    assert.equal(mod.default, 42);

    const info = new Applications().info(tracker.list());
    const byName = new Map(info.packages.map((p) => [p.name, p]));
    assert.equal(info.root, 'wobserver@0.1.0');
    assert.equal(info.packages[0]!.id, info.root, 'the application comes first');
    const prom = byName.get('prom-client');
    assert.ok(prom, [...byName.keys()].join(', '));
    assert.equal(prom.id, 'prom-client@15.1.3');
    assert.ok(prom.modules > 5 && prom.bytes > 10_000);
    assert.ok(prom.dependencies.includes(byName.get('tdigest')!.id), JSON.stringify(prom.dependencies));
    const a = byName.get('esm-a');
    const b = byName.get('esm-b');
    assert.ok(a && b, 'ESM packages are seen too');
    assert.equal(a.id, 'esm-a@1.2.3');
    assert.equal(b.modules, 1);
    assert.equal(b.bytes, 500);
    assert.deepEqual(a.dependencies, ['esm-b@2.0.0']);
    assert.ok(info.edges.some(([from, to]) => from === 'esm-a@1.2.3' && to === 'esm-b@2.0.0'));
    assert.ok(info.edges.some(([from, to]) => from === 'prom-client@15.1.3' && to.startsWith('tdigest@')));
    assert.doesNotThrow(() => JSON.stringify(info));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('one name@version installed at several folders is one package, with every folder, its modules summed and its edges once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wobserver-dup-'));
  const tracker = new ProcessTracker(createRedactor());
  try {
    const nm = join(dir, 'node_modules');
    const write = async (at: string, manifest: object, body: string) => {
      await mkdir(at, { recursive: true });
      await writeFile(join(at, 'package.json'), JSON.stringify(manifest));
      await writeFile(join(at, 'index.js'), body);
    };
    const db = { name: 'dup-db', version: '1.52.0' };
    await write(join(nm, 'dup-db'), db, 'module.exports = 1;\n');
    await write(join(nm, 'dup-user', 'node_modules', 'dup-db'), db, 'module.exports = 2;\n');
    await write(join(nm, 'dup-user'), { name: 'dup-user', version: '1.0.0', dependencies: { 'dup-db': '*' } }, "module.exports = require('dup-db') + require('dup-other');\n");
    await write(join(nm, 'dup-other'), { name: 'dup-other', version: '1.0.0', dependencies: { 'dup-db': '*' } }, "module.exports = require('dup-db');\n");
    assert.equal(createRequire(join(dir, 'x.js'))('dup-user'), 3, 'both copies are loaded');

    const info = new Applications().info(tracker.list());
    const dbs = info.packages.filter((p) => p.name === 'dup-db');
    assert.equal(dbs.length, 1);
    assert.equal(dbs[0]!.id, 'dup-db@1.52.0');
    assert.deepEqual(dbs[0]!.paths, [join(nm, 'dup-db'), join(nm, 'dup-user', 'node_modules', 'dup-db')]);
    assert.equal(dbs[0]!.path, dbs[0]!.paths[0]);
    assert.equal(dbs[0]!.modules, 2);
    assert.deepEqual(info.edges.filter(([, to]) => to === 'dup-db@1.52.0').map(([from]) => from).sort(), ['dup-other@1.0.0', 'dup-user@1.0.0']);
    assert.equal(new Set(info.edges.map((e) => e.join(' '))).size, info.edges.length, 'no edge twice');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a dependency reached through a symlinked node_modules entry (pnpm, npm link) is still an edge', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wobserver-link-'));
  const tracker = new ProcessTracker(createRedactor());
  try {
    const store = join(dir, 'store', 'link-b');
    await mkdir(store, { recursive: true });
    await writeFile(join(store, 'package.json'), JSON.stringify({ name: 'link-b', version: '2.0.0' }));
    await writeFile(join(store, 'index.js'), 'module.exports = 2;\n');
    const a = join(dir, 'node_modules', 'link-a');
    await mkdir(a, { recursive: true });
    await writeFile(join(a, 'package.json'), JSON.stringify({ name: 'link-a', version: '1.0.0', dependencies: { 'link-b': '*' } }));
    await writeFile(join(a, 'index.js'), "module.exports = require('link-b') + 1;\n");
    await symlink(store, join(dir, 'node_modules', 'link-b'), 'dir');
    assert.equal(createRequire(join(dir, 'x.js'))('link-a'), 3);

    const info = new Applications().info(tracker.list());
    assert.equal(info.packages.find((p) => p.name === 'link-b')?.path, store, 'loaded from where the link leads');
    assert.ok(info.edges.some(([from, to]) => from === 'link-a@1.0.0' && to === 'link-b@2.0.0'), JSON.stringify(info.edges.filter(([f]) => f.startsWith('link-'))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the execution units form a tree under the main thread', async () => {
  const tracker = new ProcessTracker(createRedactor());
  tracker.start();
  const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
  try {
    await new Promise((resolve) => worker.once('online', resolve));
    const info = new Applications().info(tracker.list());
    assert.equal(info.units.kind, 'main');
    assert.ok(info.units.children.some((c) => c.kind === 'worker' && c.id === `worker:${worker.threadId}`));
  } finally {
    await worker.terminate();
    tracker.stop();
  }
});
