import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { watch } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { portsInfo } from '../../src/runtime/ports.js';
import { SocketTracker } from '../../src/runtime/sockets.js';

test('the Ports page lists servers, sockets with addresses and bytes, UDP, watchers, signals, timers and child processes', async () => {
  const sockets = new SocketTracker();
  sockets.start();
  const server = createServer((s) => s.on('data', (d) => s.write(d)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const client = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  await new Promise<void>((resolve) => {
    client.once('data', () => resolve());
    client.write('hello');
  });
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const watcher = watch(tmpdir());
  const onSignal = (): void => undefined;
  process.on('SIGUSR2', onSignal);
  const timer = setInterval(() => undefined, 60_000);
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
  try {
    const p = portsInfo(sockets);
    assert.equal(p.source, 'report');
    const tcp = p.handles.filter((h) => h.type === 'tcp');
    const listening = tcp.find((h) => h.state === 'listening' && h.local?.port === port);
    assert.ok(listening, JSON.stringify(tcp));
    const mine = tcp.find((h) => h.state === 'connected' && h.remote?.port === port);
    assert.ok(mine, 'the client socket, with its remote address');
    assert.equal(mine.local?.address, '127.0.0.1');
    assert.equal(mine.bytesWritten, 5);
    assert.equal(mine.bytesRead, 5);
    assert.ok(p.handles.some((h) => h.type === 'udp' && h.local?.address === '127.0.0.1'));
    assert.ok(p.handles.some((h) => h.type === 'fs_event' && h.path === tmpdir()));
    assert.ok(p.handles.some((h) => h.type === 'signal' && h.signal === 'SIGUSR2'));
    assert.ok(p.handles.some((h) => h.type === 'timer'));
    assert.ok(p.handles.some((h) => h.type === 'process' && h.pid === child.pid));
    assert.ok((p.counts.tcp ?? 0) >= 3);
    assert.ok(!('async' in p.counts), 'libuv internals are not counted');
    if (process.platform === 'linux') {
      assert.ok(p.fds !== null && p.fds.some((f) => f.target.startsWith('socket:')));
    }
    assert.doesNotThrow(() => JSON.stringify(p));
    assert.equal((process.report as unknown as { excludeNetwork: boolean }).excludeNetwork, false, 'the setting is restored');
  } finally {
    child.kill();
    clearInterval(timer);
    process.off('SIGUSR2', onSignal);
    watcher.close();
    udp.close();
    client.destroy();
    server.close();
    sockets.stop();
  }
});

test('with many handles the cheap path lists tracked sockets with bytes, servers, children and signals', async () => {
  const sockets = new SocketTracker();
  sockets.start();
  const server = createServer((s) => s.on('data', (d) => s.write(d)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const client = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  await new Promise<void>((resolve) => {
    client.once('data', () => resolve());
    client.write('hello!');
  });
  const onSignal = (): void => undefined;
  process.on('SIGUSR2', onSignal);
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
  try {
    const p = portsInfo(sockets, { maxReportHandles: 0 });
    assert.equal(p.source, 'handles');
    assert.ok(p.handles.some((h) => h.type === 'tcp' && h.state === 'listening' && h.local?.port === port));
    const mine = p.handles.find((h) => h.type === 'tcp' && h.remote?.port === port);
    assert.ok(mine);
    assert.equal(mine.bytesWritten, 6);
    assert.equal(mine.bytesRead, 6);
    assert.ok(mine.fd !== undefined && mine.fd > 2);
    assert.ok(p.handles.some((h) => h.type === 'process' && h.pid === child.pid));
    assert.ok(p.handles.some((h) => h.type === 'signal' && h.signal === 'SIGUSR2'));
    assert.equal(portsInfo(sockets, { maxReportHandles: 0, full: true }).source, 'report');
    const cut = portsInfo(sockets, { maxReportHandles: 0, limit: 1 });
    assert.equal(cut.handles.length, 1);
    assert.ok(cut.total >= 4 && cut.truncated);
    assert.ok((cut.counts.tcp ?? 0) >= 3, 'counts cover every handle, not only those returned');
  } finally {
    child.kill();
    process.off('SIGUSR2', onSignal);
    client.destroy();
    server.close();
    sockets.stop();
  }
});
