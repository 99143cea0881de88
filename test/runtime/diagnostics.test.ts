import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Diagnostics, snapshotRoom } from '../../src/runtime/diagnostics.js';
import { createRedactor } from '../../src/runtime/redact.js';

function work(ms: number): number {
  let x = 0;
  const until = Date.now() + ms;
  while (Date.now() < until) for (let i = 0; i < 1e4; i++) x += Math.sqrt(i);
  return x;
}

test('a CPU profile records samples and loads as a .cpuprofile; one diagnostic at a time', async () => {
  const d = new Diagnostics(createRedactor(), { cpuSamplingIntervalUs: 100 });
  try {
    await d.startCpuProfile();
    assert.equal(d.state().running?.kind, 'cpu-profile');
    await assert.rejects(d.startHeapProfile(), { code: 'DIAGNOSTICS_BUSY' });
    await assert.rejects(d.heapSnapshot(() => undefined), { code: 'DIAGNOSTICS_BUSY' });
    assert.ok(work(100) > 0);
    const profile = (await d.stopCpuProfile()) as { nodes: { callFrame: { functionName: string } }[]; samples: number[]; startTime: number; endTime: number };
    assert.ok(profile.nodes.length > 1 && profile.samples.length > 10);
    assert.ok(profile.endTime > profile.startTime);
    assert.ok(profile.nodes.some((n) => n.callFrame.functionName === 'work'));
    await assert.rejects(d.stopCpuProfile(), { code: 'DIAGNOSTICS_NOT_RUNNING' });
    assert.equal(d.state().running, null);
  } finally {
    d.close();
  }
});

test('a profile stops by itself at its maximum duration and is still handed out', async () => {
  const d = new Diagnostics(createRedactor(), { maxProfileMs: 100 });
  try {
    await d.startCpuProfile();
    await sleep(250);
    assert.equal(d.state().running, null);
    assert.equal(d.state().finished?.kind, 'cpu-profile');
    const profile = (await d.stopCpuProfile()) as { nodes: unknown[] };
    assert.ok(profile.nodes.length > 0);
    await d.startHeapProfile();
    const held: unknown[] = [];
    for (let i = 0; i < 2000; i++) held.push({ i, s: 'y'.repeat(100) });
    const heap = (await d.stopHeapProfile()) as { head: { children: unknown[] }; samples?: unknown[] };
    assert.ok(heap.head.children.length > 0);
    assert.ok(held.length === 2000);
  } finally {
    d.close();
  }
});

test('a heap snapshot is written chunk by chunk and parses as a .heapsnapshot', async () => {
  const d = new Diagnostics(createRedactor());
  const path = join(tmpdir(), `wobserver-${process.pid}.heapsnapshot`);
  try {
    const bytes = await d.heapSnapshotToFile(path);
    const text = await readFile(path, 'utf8');
    assert.equal(Buffer.byteLength(text), bytes);
    const snap = JSON.parse(text) as { snapshot: { node_count: number; meta: object }; nodes: number[] };
    assert.ok(snap.snapshot.node_count > 1000);
    assert.ok(Array.isArray(snap.nodes) && snap.nodes.length > 0);
  } finally {
    d.close();
    await rm(path, { force: true });
  }
});

test('a heap snapshot is refused, with the reason, when the heap has no headroom for it', () => {
  const fixture = fileURLToPath(new URL('./fixtures/snapshot-no-headroom.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', fixture], { encoding: 'utf8', timeout: 60_000 });
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { code?: string; message?: string; kept?: number };
  assert.equal(out.code, 'DIAGNOSTICS_NO_HEADROOM', r.stdout + r.stderr);
  assert.match(out.message ?? '', /too close to its limit/);
  assert.ok((out.kept ?? 0) > 0, 'the process lives on');
  // The same rule, with figures: enough room, no room under a cgroup limit.
  assert.equal(snapshotRoom({ used_heap_size: 100, total_heap_size: 150, heap_size_limit: 1000 }, { bytes: 10_000, source: 'os' }, 1000).reason, null);
  assert.match(snapshotRoom({ used_heap_size: 500, total_heap_size: 600, heap_size_limit: 4000 }, { bytes: 1000, source: 'cgroup v2' }, 800).reason ?? '', /cgroup v2 limit/);
});

test('the diagnostic report redacts environment secrets and the command line', () => {
  process.env.WOBSERVER_TEST_API_TOKEN = 'do-not-leak';
  const d = new Diagnostics(createRedactor());
  try {
    const r = d.report() as { environmentVariables: Record<string, string>; header: { nodejsVersion: string }; libuv: unknown[] };
    assert.equal(r.environmentVariables.WOBSERVER_TEST_API_TOKEN, '[redacted]');
    assert.ok(!JSON.stringify(r).includes('do-not-leak'));
    assert.equal(r.header.nodejsVersion, process.version);
    assert.ok(r.libuv.length > 0);
  } finally {
    delete process.env.WOBSERVER_TEST_API_TOKEN;
    d.close();
  }
});
