import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRedactor } from '../../src/runtime/redact.js';
import { memoryLimit, systemInfo } from '../../src/runtime/system.js';

test('the System page describes this very process', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const s = systemInfo(createRedactor());
    assert.equal(s.process.pid, process.pid);
    assert.equal(s.process.ppid, process.ppid);
    assert.equal(s.process.execPath, process.execPath);
    assert.equal(s.versions.node, process.versions.node);
    for (const k of ['v8', 'uv', 'openssl', 'zlib']) assert.ok(s.versions[k], k);
    assert.equal(s.cpu.count, os.cpus().length);
    assert.ok(s.cpu.availableParallelism >= 1);
    assert.equal(s.cpu.threadPoolSize, Number(process.env.UV_THREADPOOL_SIZE) || 4);
    assert.ok(s.memory.rss > 0 && s.memory.heapUsed <= s.memory.heapTotal);
    assert.ok(s.memory.limit.bytes > 0 && s.memory.limit.bytes <= os.totalmem());
    assert.ok(s.memory.heapSizeLimit > 0);
    assert.ok(s.activity.activeResources.TCPServerWrap! >= 1, JSON.stringify(s.activity.activeResources));
    assert.ok(s.activity.activeHandles.Server! >= 1);
    assert.ok(s.activity.eventLoopUtilization >= 0 && s.activity.eventLoopUtilization <= 1);
    assert.ok(Math.abs(s.process.startTime + s.process.uptimeSeconds * 1000 - Date.now()) < 5000);
    assert.equal(s.os.loadAverage.length, 3);
    // Open files against ulimit -n where /proc says them (Linux), none elsewhere.
    if (existsSync('/proc/self/limits')) assert.ok(s.limits.openFiles !== null && s.limits.openFiles.open > 2 && s.limits.openFiles.soft !== 0, JSON.stringify(s.limits));
    else assert.equal(s.limits.openFiles, null);
    assert.doesNotThrow(() => JSON.stringify(s));
  } finally {
    server.close();
  }
});

test('argv secrets are redacted on the System page', () => {
  const saved = process.argv;
  process.argv = [...saved, '--api-token=shh'];
  try {
    const s = systemInfo(createRedactor());
    assert.ok(s.process.argv.includes('--api-token=[redacted]'));
    assert.ok(!JSON.stringify(s).includes('shh'));
  } finally {
    process.argv = saved;
  }
});

test('the memory limit comes from cgroup v2, then v1, else the machine', async () => {
  const dir = await mkdtemp(join(os.tmpdir(), 'wobserver-cgroup-'));
  try {
    assert.deepEqual(memoryLimit(dir), { bytes: os.totalmem(), source: 'os' });
    await mkdir(join(dir, 'memory'));
    await writeFile(join(dir, 'memory/memory.limit_in_bytes'), '9223372036854771712\n');
    assert.equal(memoryLimit(dir).source, 'os', 'v1 "no limit" is ignored');
    await writeFile(join(dir, 'memory/memory.limit_in_bytes'), `${256 * 1024 * 1024}\n`);
    assert.deepEqual(memoryLimit(dir), { bytes: 256 * 1024 * 1024, source: 'cgroup v1' });
    await writeFile(join(dir, 'memory.max'), 'max\n');
    assert.equal(memoryLimit(dir).source, 'cgroup v1', 'v2 "max" means none');
    await writeFile(join(dir, 'memory.max'), `${128 * 1024 * 1024}\n`);
    assert.deepEqual(memoryLimit(dir), { bytes: 128 * 1024 * 1024, source: 'cgroup v2' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
